"""Join link, room page and seat release (real-time rooms)."""

from django.urls import path

from sessions import views_join

urlpatterns = [
    path("j/<str:code>/", views_join.join, name="join"),
    path("j/<str:code>/take-over/", views_join.take_over, name="take_over"),
    path("s/<str:code>/", views_join.room, name="room"),
    path("s/<str:code>/release/", views_join.release, name="release"),
]
