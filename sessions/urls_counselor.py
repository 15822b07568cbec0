"""Counselor pages: sign-in, dashboard, own protocols, hosting, notes, summaries."""

urlpatterns = []
