"""Inviting a counselor: no shell, no email server needed.

The person who runs the server (a superuser) names the new counselor; the account
is made at once with an unusable password, and the page shows a one-time link to
send them. Opening it, they choose their password and land on their dashboard,
signed in. The link is Django's password-reset token: it works once (setting the
password changes what it was signed over), and for `PASSWORD_RESET_TIMEOUT`
seconds. The same link, made from the admin's user list, helps a counselor who
lost their password.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from sessions.web import links
from sessions.web.forms import InviteForm

log = logging.getLogger(__name__)


def password_link(request, user) -> str:
    """A link that lets `user` choose a password once, until it expires."""
    path = reverse(
        "counselor:welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return links.absolute_url(request, path)


def link_lifetime() -> str:
    """How long a link works, in words: "3 days", "12 hours", "30 minutes"."""
    seconds = int(settings.PASSWORD_RESET_TIMEOUT)
    if seconds >= 86400 and seconds % 86400 == 0:
        count = seconds // 86400
        return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}
    if seconds >= 3600 and seconds % 3600 == 0:
        count = seconds // 3600
        return ngettext("%(count)s hour", "%(count)s hours", count) % {"count": count}
    if seconds >= 60 and seconds % 60 == 0:
        count = seconds // 60
        return ngettext("%(count)s minute", "%(count)s minutes", count) % {"count": count}
    return ngettext("%(count)s second", "%(count)s seconds", seconds) % {"count": seconds}


def link_expires_at():
    return timezone.now() + timedelta(seconds=int(settings.PASSWORD_RESET_TIMEOUT))


def can_invite(user) -> bool:
    return user.is_active and user.is_superuser


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    if not can_invite(request.user):
        return render(request, "counselor/invite_not_allowed.html", status=403)
    if request.method == "POST":
        form = InviteForm(request.POST)
        user = None
        if form.is_valid():
            try:
                user = create_invited(form.cleaned_data)
            except IntegrityError:  # the same username, made a moment ago by someone else
                form.add_error(
                    "username",
                    _("There is already an account called “%(username)s”.")
                    % {"username": form.cleaned_data["username"]},
                )
        if user is not None:
            link = password_link(request, user)
            emailed, email_problem = email_link(user, link)
            return render(
                request,
                "counselor/invite_link.html",
                {
                    "invited": user,
                    "link": link,
                    "lifetime": link_lifetime(),
                    "expires_at": link_expires_at(),
                    "emailed": emailed,
                    "email_problem": email_problem,
                },
                status=201,
            )
    else:
        form = InviteForm()
    return render(
        request,
        "counselor/invite.html",
        {"form": form, "lifetime": link_lifetime()},
        status=400 if form.is_bound and form.errors else 200,
    )


@transaction.atomic
def create_invited(data: dict):
    User = get_user_model()
    user = User(**{User.USERNAME_FIELD: data["username"]})
    user.email = data["email"]
    user.first_name = data["name"]
    user.set_unusable_password()
    user.save()
    return user


def email_link(user, link: str) -> tuple[bool, str]:
    """Also email the link when an email server is configured (`EMAIL_HOST`) and known."""
    if not (user.email and settings.EMAIL_HOST):
        return False, ""
    name = {"name": user.first_name}
    greeting = _("Hello %(name)s,") % name if user.first_name else _("Hello,")
    body = _(
        "%(greeting)s\n\nYou have been invited to host sessions on Stay. Open this link to "
        "choose your password (it works once, for %(lifetime)s):\n\n%(link)s\n\n"
        "Your username is %(username)s.\n"
    ) % {
        "greeting": greeting,
        "lifetime": link_lifetime(),
        "link": link,
        "username": user.get_username(),
    }
    try:
        send_mail(_("Your Stay counselor account"), body, None, [user.email])
    except Exception as error:  # noqa: BLE001 - any mail failure: the page shows the link anyway
        log.warning("Invitation email to user %s failed: %s", user.pk, error)
        return False, str(error) or type(error).__name__
    return True, ""


class ChoosePasswordView(auth_views.PasswordResetConfirmView):
    """Django's one-time password link, in Stay's words, ending signed in on the dashboard."""

    template_name = "registration/choose_password.html"
    post_reset_login = True
    success_url = reverse_lazy("counselor:dashboard")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lifetime"] = link_lifetime()
        return context
