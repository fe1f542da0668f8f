"""Background jobs for every capstone: the Celery app factory, on-commit enqueueing,
a retrying base task, the email task and task progress."""
