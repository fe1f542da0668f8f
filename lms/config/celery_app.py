"""The LMS Celery app: `celery -A config worker` and `celery -A config beat`."""

from shared.tasks.celery import make_celery_app

app = make_celery_app("lms")
