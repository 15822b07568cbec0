"""Join link, room page and seat release (real-time rooms)."""

urlpatterns = []
