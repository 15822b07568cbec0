"""URL map, split by owner module so the pieces stay small."""

from django.urls import include, path

from sessions import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", include("sessions.urls_join")),
    path("counselor/", include("sessions.urls_counselor")),
    path("", include("sessions.urls_web")),
]
