"""The shared tasks. Celery's autodiscovery imports ``<app>.tasks``, so every worker knows them."""

from shared.tasks import services
from shared.tasks.base import task
from shared.tasks.email import send_templated_email


@task(name="shared.prune_task_records")
def prune_task_records(*, keep_days: int = 30) -> dict[str, int]:
    """Run nightly by beat (see ``make_celery_app``)."""
    return services.prune_task_records(keep_days=keep_days)


__all__ = ["prune_task_records", "send_templated_email"]
