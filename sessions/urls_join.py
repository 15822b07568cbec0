"""Join link, continuing on a new device, room page and seat release (real-time rooms)."""

from django.urls import path

from sessions import views_join

urlpatterns = [
    path("j/<str:code>/", views_join.join, name="join"),
    path("j/<str:code>/seat-code/", views_join.seat_code, name="seat_code"),
    path("j/<str:code>/ask/", views_join.ask, name="ask"),
    path("j/<str:code>/take-back/", views_join.take_back, name="take_back"),
    path("j/<str:code>/waiting/", views_join.waiting, name="waiting"),
    path("s/<str:code>/", views_join.room, name="room"),
    path("s/<str:code>/release/", views_join.release, name="release"),
]
