"""Lab tasks: run eagerly in the embedded mode, by the live worker in services mode."""

import logging

from django.db import OperationalError
from django.db.models import F

from shared.tasks.base import task
from shared.tasks.models import TaskProgress
from shared.tests.project.lab.models import Counter

logger = logging.getLogger(__name__)


@task
def count_to(*, job_id: str) -> None:
    """Report progress step by step, then succeed; a re-run of a finished job does nothing."""
    job = TaskProgress.objects.get(pk=job_id)
    if not job.begin():
        logger.info("job %s already finished, skipping", job_id)
        return
    logger.info("counting for job %s", job_id)
    for step in range(1, job.total + 1):
        job.update(step, message=f"Counted {step} of {job.total}")
    job.succeed(result_url=f"/lab/results/{job_id}/")


@task
def flaky(*, counter: str, failures: int) -> int:
    """Fail with a transient error on the first ``failures`` attempts, then succeed.

    The attempts are counted in a real row, so the test sees how many runs happened."""
    Counter.objects.filter(name=counter).update(value=F("value") + 1)
    attempts = Counter.objects.get(name=counter).value
    if attempts <= failures:
        raise OperationalError(f"database briefly away (attempt {attempts})")
    return attempts


@task(max_retries=1)
def always_fails(*, job_id: str) -> None:
    TaskProgress.objects.get(pk=job_id).begin()
    raise OperationalError("the database is down for good")
