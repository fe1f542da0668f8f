from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "shared.web"
    label = "shared_web"
    verbose_name = "Web basics"
