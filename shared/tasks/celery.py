"""The Celery app factory that every project's ``config/celery_app.py`` calls."""

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab

# A countdown or ETA longer than this would be delivered twice by Redis, so no
# task may be scheduled further ahead; beat covers anything longer.
VISIBILITY_TIMEOUT_SECONDS = 2 * 60 * 60

RELIABLE_DEFAULTS = {
    # Acknowledge after the task ran, and requeue it if the worker process dies:
    # a crash mid-task means "run again", which is why tasks are idempotent.
    "task_acks_late": True,
    "task_reject_on_worker_lost": True,
    # Take one message at a time, so a long task does not hold others hostage.
    "worker_prefetch_multiplier": 1,
    "broker_transport_options": {"visibility_timeout": VISIBILITY_TIMEOUT_SECONDS},
    "task_soft_time_limit": 5 * 60,
    "task_time_limit": 6 * 60,
    # JSON only: a pickled message from the broker could run arbitrary code.
    "task_serializer": "json",
    "result_serializer": "json",
    "accept_content": ["json"],
    "task_ignore_result": True,
    "broker_connection_retry_on_startup": True,
    "worker_hijack_root_logger": False,
    "worker_send_task_events": True,
    "task_send_sent_event": True,
}


def make_celery_app(project: str, settings_module: str = "config.settings") -> Celery:
    """Build the project's Celery app: Django settings under ``CELERY_*``, the reliable
    defaults above for whatever those settings leave out, and tasks discovered in every
    installed app's ``tasks.py``.

    ``settings_module`` is only a default: ``DJANGO_SETTINGS_MODULE`` in the
    environment wins, as it does for ``manage.py``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    app = Celery(project)
    app.config_from_object("django.conf:settings", namespace="CELERY")

    # Celery reads its configuration on first use, when Django's settings are loaded.
    # Then each reliable default fills in where the project set nothing: a project's
    # CELERY_TASK_TIME_LIMIT = 15 * 60 wins. (app.conf.update() before this point would
    # win over every setting instead, silently.)
    @app.on_after_configure.connect(weak=False)
    def apply_reliable_defaults(sender: Celery, **kwargs: Any) -> None:
        from django.conf import settings

        for key, value in RELIABLE_DEFAULTS.items():
            if not hasattr(settings, f"CELERY_{key.upper()}"):
                sender.conf[key] = value

    app.autodiscover_tasks()
    # Periodic jobs are declared in code, next to the app, not clicked in an admin.
    # A project adds its own in settings.CELERY_BEAT_SCHEDULE; this one is for all.
    app.add_periodic_task(
        crontab(hour=3, minute=17),
        app.signature("shared.prune_task_records"),
        name="shared: prune old task records",
    )
    return app
