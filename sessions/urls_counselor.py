"""Counselor pages: sign-in, dashboard, own protocols, hosting, notes, summaries."""

from django.contrib.auth import views as auth_views
from django.urls import path

from sessions import views_counselor as views
from sessions import views_invite

app_name = "counselor"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only: a link or a prefetch cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    # Inviting a counselor (superusers only) and the invited person's one-time link.
    path("invite/", views_invite.invite, name="invite"),
    path(
        "welcome/<uidb64>/<token>/",
        views_invite.ChoosePasswordView.as_view(),
        name="welcome",
    ),
    path("protocols/", views.protocol_list, name="protocols"),
    path("protocols/new/", views.protocol_create, name="protocol_create"),
    path("protocols/<slug:slug>/edit/", views.protocol_edit, name="protocol_edit"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("s/<str:code>/", views.share, name="share"),
    path("s/<str:code>/notes/", views.note_create, name="notes"),
    path("s/<str:code>/summary/", views.summary, name="summary"),
    path("s/<str:code>/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("s/<str:code>/export.json", views.export, {"fmt": "json"}, name="export_json"),
]
