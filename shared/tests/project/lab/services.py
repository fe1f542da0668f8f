"""Use cases of the lab app: two safe ways to increment a counter, and a job with progress."""

from django.db import transaction
from django.db.models import F

from shared.accounts.models import User
from shared.tasks.base import enqueue_on_commit
from shared.tasks.models import TaskProgress
from shared.tasks.services import start_job
from shared.tests.project.lab.models import Counter
from shared.tests.project.lab.tasks import count_to


def increment_with_lock(*, name: str) -> None:
    """Read-modify-write made safe: ``SELECT ... FOR UPDATE`` makes the others wait."""
    with transaction.atomic():
        counter = Counter.objects.select_for_update().get(name=name)
        counter.value += 1
        counter.save(update_fields=["value"])


def increment_atomically(*, name: str) -> None:
    """``UPDATE ... SET value = value + 1``: the database adds, under its row lock."""
    Counter.objects.filter(name=name).update(value=F("value") + 1)


@transaction.atomic
def start_counting(*, owner: User, total: int) -> TaskProgress:
    job = start_job(name=f"Count to {total}", owner=owner, total=total)
    enqueue_on_commit(count_to, job_id=str(job.pk))
    return job
