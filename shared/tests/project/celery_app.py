"""The test project's Celery app: `celery -A shared.tests.project.celery_app worker`."""

from shared.tasks.celery import make_celery_app

app = make_celery_app("shared_tests", settings_module="shared.tests.project.settings")
