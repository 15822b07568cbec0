"""Every URL the app serves, in one map: partners' pages first, then the counselor's.

Paths here are the public contract listed in docs/protocol.md; code builds links with
``reverse`` and these names, never by hand. The counselor's pages keep their own
namespace (``counselor:``) so their names read as what they are.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from sessions.web import (
    app_shell,
    counselor,
    couples,
    health,
    invite,
    joining,
    languages,
    measure,
    new_device,
    partners,
    room_page,
    standing,
    workshop_door,
    workshops,
)

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
    # A counselor's couples: their standing link, history, practice and private measure.
    path("couples/", couples.couple_list, name="couples"),
    path("couples/new/", couples.couple_create, name="couple_create"),
    path("couples/<int:pk>/", couples.couple_page, name="couple"),
    path("couples/<int:pk>/edit/", couples.couple_edit, name="couple_edit"),
    path("couples/<int:pk>/delete/", couples.couple_delete, name="couple_delete"),
    path("couples/<int:pk>/link/", couples.couple_link, name="couple_link"),
    path("couples/<int:pk>/sessions/new/", couples.couple_session_new, name="couple_session_new"),
    path("couples/<int:pk>/practice/", couples.practice_assign, name="practice_assign"),
    path(
        "couples/<int:pk>/practice/<int:practice_id>/stop/",
        couples.practice_stop,
        name="practice_stop",
    ),
    path("couples/<int:pk>/export.csv", couples.couple_export, {"fmt": "csv"}, name="couple_csv"),
    path(
        "couples/<int:pk>/export.json", couples.couple_export, {"fmt": "json"}, name="couple_json"
    ),
    # Workshops: one facilitator, one link, a room per couple, the live console.
    path("workshops/", workshops.workshop_list, name="workshops"),
    path("workshops/new/", workshops.workshop_create, name="workshop_create"),
    path("workshops/<int:pk>/", workshops.console, name="workshop"),
    path("workshops/<int:pk>/screen/", workshops.screen, name="workshop_screen"),
    path("workshops/<int:pk>/rooms/<str:room>/", workshops.room, name="workshop_room"),
    path(
        "workshops/<int:pk>/rooms/<str:room>/remove/",
        workshops.remove_room,
        name="workshop_remove",
    ),
    path("workshops/<int:pk>/start/", workshops.start_all, name="workshop_start"),
    path("workshops/<int:pk>/next/", workshops.next_step, name="workshop_next"),
    path("workshops/<int:pk>/say/", workshops.say, name="workshop_say"),
    path("workshops/<int:pk>/timer/", workshops.timer, name="workshop_timer"),
    path("workshops/<int:pk>/hand/", workshops.hand, name="workshop_hand"),
    path("workshops/<int:pk>/end/", workshops.end, name="workshop_end"),
    path("workshops/<int:pk>/summary/", workshops.summary, name="workshop_summary"),
    path("workshops/<int:pk>/summary.csv", workshops.export, {"fmt": "csv"}, name="workshop_csv"),
    path(
        "workshops/<int:pk>/summary.json", workshops.export, {"fmt": "json"}, name="workshop_json"
    ),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("jsi18n/<str:lang>/", languages.js_catalog, name="js-catalog"),
    # The footer's language picker (every page): the cookie, and a seat's language in its room.
    path("language/", languages.choose, name="set_language"),
    # Stay on the home screen: the manifest, the worker (at the root for its scope), offline.
    path("manifest.webmanifest", app_shell.manifest, name="manifest"),
    path("sw.js", app_shell.service_worker, name="service-worker"),
    path("offline/", app_shell.offline, name="offline"),
    path("offline/<str:lang>/", app_shell.offline, name="offline-in"),
    # A partner's way in: the shared link, a seat on a new device, the room itself.
    path("j/<str:code>/", joining.join, name="join"),
    path("j/<str:code>/seat-code/", new_device.seat_code, name="seat_code"),
    path("j/<str:code>/ask/", new_device.ask, name="ask"),
    path("j/<str:code>/take-back/", new_device.take_back, name="take_back"),
    path("j/<str:code>/waiting/", new_device.waiting, name="waiting"),
    path("s/<str:code>/", room_page.room, name="room"),
    path("s/<str:code>/release/", room_page.release, name="release"),
    # A couple's standing link from their counselor, and what hangs off it.
    path("c/<str:link>/", standing.standing, name="standing"),
    path("c/<str:link>/join/", standing.join_current, name="standing_join"),
    path("c/<str:link>/practice/", standing.start_practice, name="standing_practice"),
    path("s/<str:code>/measure/", measure.measure, name="measure"),
    path("s/<str:code>/share/", partners.share_practice, name="web-share"),
    # A workshop's one link: start a couple, or join your partner by their word or QR code.
    path("w/<str:code>/", workshop_door.door, name="workshop_door"),
    path("w/<str:code>/start/", workshop_door.start_couple, name="workshop_start_couple"),
    path("w/<str:code>/join/", workshop_door.join, name="workshop_join"),
    path("w/<str:code>/p/<str:word>/", workshop_door.pair, name="workshop_pair"),
    path("counselor/", include((counselor_patterns, "counselor"))),
    # Around the room: the home page, starting a session, and what comes after.
    path("", partners.home, name="home"),
    path("start/", partners.create, name="web-create"),
    path("new/<str:code>/", partners.created, name="web-created"),
    path("s/<str:code>/summary/", partners.summary, name="web-summary"),
    path("s/<str:code>/summary.csv", partners.export, {"fmt": "csv"}, name="web-summary-csv"),
    path("s/<str:code>/summary.json", partners.export, {"fmt": "json"}, name="web-summary-json"),
    path("s/<str:code>/delete/", partners.delete, name="web-delete"),
    path("s/<str:code>/forget/", partners.forget, name="web-forget"),
]
