"""Home page, starting a session, and a finished session's summary and deletion."""

from django.urls import path

from sessions import views_web

urlpatterns = [
    path("", views_web.home, name="home"),
    path("start/", views_web.create, name="web-create"),
    path("new/<str:code>/", views_web.created, name="web-created"),
    path("s/<str:code>/summary/", views_web.summary, name="web-summary"),
    path("s/<str:code>/delete/", views_web.delete, name="web-delete"),
    path("s/<str:code>/forget/", views_web.forget, name="web-forget"),
]
