from django import template
from django.conf import settings
from django.utils.translation import gettext, gettext_noop

# The urgent-help link's words when the deployer set no STAY_HELP_TEXT: Stay's own sentence,
# shown in the reader's language. A deployer's own text is shown as typed.
HELP_TEXT = gettext_noop("If you or someone else is in danger, find urgent help near you")

# `{% load stay_help %}{% help_line as help %}` for a page rendered with no request, so with no
# context processor (Django's 500 page): registered in settings TEMPLATES' "libraries".
register = template.Library()


@register.simple_tag
def help_line() -> dict:
    """The urgent-help link: its address, and its words in the active language."""
    return {
        "url": settings.STAY["HELP_URL"],
        "text": settings.STAY["HELP_TEXT"] or gettext(HELP_TEXT),
    }


def stay_settings(request):
    """Help link and quick exit are on every page, so every template gets them."""
    line = help_line()
    return {
        "help_url": line["url"],
        "help_text": line["text"],
        "quick_exit_url": settings.STAY["QUICK_EXIT_URL"],
    }
