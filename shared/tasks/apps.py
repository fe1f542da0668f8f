from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "shared.tasks"
    label = "shared_tasks"
    verbose_name = "Background tasks"
