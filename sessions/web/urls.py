"""Every URL the app serves, in one map: partners' pages first, then the counselor's.

Paths here are the public contract listed in docs/protocol.md; code builds links with
``reverse`` and these names, never by hand. The counselor's pages keep their own
namespace (``counselor:``) so their names read as what they are.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from sessions.web import counselor, health, invite, joining, new_device, partners, room_page

counselor_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only: a link or a prefetch cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", counselor.dashboard, name="dashboard"),
    # Inviting a counselor (superusers only) and the invited person's one-time link.
    path("invite/", invite.invite, name="invite"),
    path("welcome/<uidb64>/<token>/", invite.ChoosePasswordView.as_view(), name="welcome"),
    path("protocols/", counselor.protocol_list, name="protocols"),
    path("protocols/new/", counselor.protocol_create, name="protocol_create"),
    path("protocols/<slug:slug>/edit/", counselor.protocol_edit, name="protocol_edit"),
    path("sessions/new/", counselor.session_new, name="session_new"),
    path("s/<str:code>/", counselor.share, name="share"),
    path("s/<str:code>/notes/", counselor.note_create, name="notes"),
    path("s/<str:code>/summary/", counselor.summary, name="summary"),
    path("s/<str:code>/export.csv", counselor.export, {"fmt": "csv"}, name="export_csv"),
    path("s/<str:code>/export.json", counselor.export, {"fmt": "json"}, name="export_json"),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # A partner's way in: the shared link, a seat on a new device, the room itself.
    path("j/<str:code>/", joining.join, name="join"),
    path("j/<str:code>/seat-code/", new_device.seat_code, name="seat_code"),
    path("j/<str:code>/ask/", new_device.ask, name="ask"),
    path("j/<str:code>/take-back/", new_device.take_back, name="take_back"),
    path("j/<str:code>/waiting/", new_device.waiting, name="waiting"),
    path("s/<str:code>/", room_page.room, name="room"),
    path("s/<str:code>/release/", room_page.release, name="release"),
    path("counselor/", include((counselor_patterns, "counselor"))),
    # Around the room: the home page, starting a session, and what comes after.
    path("", partners.home, name="home"),
    path("start/", partners.create, name="web-create"),
    path("new/<str:code>/", partners.created, name="web-created"),
    path("s/<str:code>/summary/", partners.summary, name="web-summary"),
    path("s/<str:code>/delete/", partners.delete, name="web-delete"),
    path("s/<str:code>/forget/", partners.forget, name="web-forget"),
]
