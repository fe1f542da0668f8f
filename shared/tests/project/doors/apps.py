from django.apps import AppConfig


class DoorsConfig(AppConfig):
    name = "shared.tests.project.doors"
    label = "doors"
