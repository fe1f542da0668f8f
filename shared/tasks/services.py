"""Use cases of the background-job package: start a job a page can follow, prune old records."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from shared.tasks.models import SentEmail, TaskProgress

if TYPE_CHECKING:
    # For the annotations only: shared.accounts sits above shared.tasks (/.importlinter).
    from shared.accounts.models import User


@transaction.atomic
def start_job(*, name: str, owner: "User | None" = None, total: int = 0) -> TaskProgress:
    """Create the progress row of a job about to be enqueued, and return it.

    Create it first, then ``enqueue_on_commit(task, job.pk, ...)``: the page that
    started the job can show its bar at once, and the task finds the row waiting.

        job = start_job(name="Export orders", owner=request.user, total=orders.count())
        enqueue_on_commit(export_orders, str(job.pk))
    """
    return TaskProgress.objects.create(name=name, owner=owner, total=total)


def prune_task_records(*, keep_days: int = 30) -> dict[str, int]:
    """Delete finished jobs and sent-email keys older than ``keep_days``; return the counts.

    Keys must outlive any re-delivery of their message (retries last minutes, the
    visibility timeout hours), so weeks are plenty. Unfinished jobs are kept: a job
    stuck in "running" for a month is worth a look, not a silent delete."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    jobs, _ = TaskProgress.objects.filter(
        state__in=TaskProgress.FINAL_STATES, updated__lt=cutoff
    ).delete()
    emails, _ = SentEmail.objects.filter(sent_at__lt=cutoff).delete()
    return {"jobs": jobs, "emails": emails}
