from django.apps import AppConfig


class CoregulationConfig(AppConfig):
    # django.contrib.sessions already owns the label "sessions".
    name = "sessions"
    label = "coregulation"
    verbose_name = "Stay sessions"
    default_auto_field = "django.db.models.BigAutoField"
