"""Use cases of the background-job package: starting a job whose progress a page can follow."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from shared.tasks.models import TaskProgress


@transaction.atomic
def start_job(*, name: str, owner: AbstractBaseUser | None = None, total: int = 0) -> TaskProgress:
    """Create the progress row of a job about to be enqueued, and return it.

    Create it first, then ``enqueue_on_commit(task, job.pk, ...)``: the page that
    started the job can show its bar at once, and the task finds the row waiting.

        job = start_job(name="Export orders", owner=request.user, total=orders.count())
        enqueue_on_commit(export_orders, str(job.pk))
    """
    return TaskProgress.objects.create(name=name, owner=owner, total=total)
