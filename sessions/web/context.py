from django.conf import settings


def stay_settings(request):
    """Help link and quick exit are on every page, so every template gets them."""
    return {
        "help_url": settings.STAY["HELP_URL"],
        "help_text": settings.STAY["HELP_TEXT"],
        "quick_exit_url": settings.STAY["QUICK_EXIT_URL"],
    }
