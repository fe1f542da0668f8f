"""Lab tasks: run eagerly in the embedded mode, by the live worker in services mode."""

import logging
import os
import signal

from django.db import OperationalError
from django.db.models import F

from shared.tasks.base import task
from shared.tasks.email import send_templated_email
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


# --- Test only -------------------------------------------------------------------------
# No real project writes a task like this one: it kills the process that runs it. It
# exists so that a worker test can prove what late acknowledgement promises.

CRASH_POINTS = ("before_sending", "after_sending")
# Not in CRASH_POINTS: the whole worker dies, not only the child running the task.
WHOLE_WORKER = "whole_worker"


# Routed to its own queue (CELERY_TASK_ROUTES in the test project's settings), read only
# by the prefork worker of the tests: that worker survives and replaces its dead child,
# while the solo worker (no child) would die with the task.
@task(bind=True)
def send_welcome_dying_once(
    self, *, attempts: str, to: str, idempotency_key: str, crash: str
) -> bool:
    """TEST ONLY: send a welcome email (idempotent), but on the first attempt kill the
    worker process running the task, just ``crash`` ("before_sending"/"after_sending"),
    or, with ``WHOLE_WORKER``, the worker's main process too, before sending.

    SIGKILL is what ``kill -9`` or the kernel's out-of-memory killer does: no exception,
    no ``finally``, no acknowledgement. The attempts are counted in the ``attempts``
    Counter row, committed at once, so the next attempt knows the first one happened."""
    if crash not in (*CRASH_POINTS, WHOLE_WORKER):
        raise ValueError(f"crash must be one of {CRASH_POINTS} or {WHOLE_WORKER!r}, not {crash!r}")
    if self.request.is_eager:
        raise RuntimeError("this task kills the process that runs it: send it to a worker")
    Counter.objects.filter(name=attempts).update(value=F("value") + 1)
    attempt = Counter.objects.get(name=attempts).value
    logger.info(
        "attempt %s of %s in process %s, redelivered=%s",
        attempt,
        idempotency_key,
        os.getpid(),
        # Set by the Redis transport on a message it put back in the queue.
        bool(self.request.delivery_info.get("redelivered")),
    )
    first = attempt == 1
    if first and crash == WHOLE_WORKER:
        # The prefork parent first (a power cut, a container killed), then this child:
        # no process is left to notice the loss and put the message back.
        os.kill(os.getppid(), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)
    if first and crash == "before_sending":
        os.kill(os.getpid(), signal.SIGKILL)
    sent = send_templated_email(  # called directly: we are already in a task
        to=to,
        subject=f"Welcome ({idempotency_key})",
        template="lab/email/welcome",
        context={"name": to},
        idempotency_key=idempotency_key,
    )
    if first and crash == "after_sending":
        # The email went out and its SentEmail row is committed, but the message is
        # not acknowledged: the worst moment to die.
        os.kill(os.getpid(), signal.SIGKILL)
    return sent
