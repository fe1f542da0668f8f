"""A real Celery worker process runs the tasks (services mode: PostgreSQL + Redis)."""

import json
import re
import time

import pytest

from shared.tasks.celery import VISIBILITY_TIMEOUT_SECONDS
from shared.tasks.email import send_templated_email
from shared.tasks.models import SentEmail, TaskProgress
from shared.tests.project.lab.models import Counter
from shared.tests.project.lab.services import start_counting
from shared.tests.project.lab.tasks import CRASH_POINTS, WHOLE_WORKER, send_welcome_dying_once

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_runs_a_job_and_reports_its_progress(live_worker, wait_for):
    job = start_counting(owner=None, total=3)  # enqueued when its transaction commits
    finished = wait_for(
        lambda: TaskProgress.objects.filter(pk=job.pk, state="succeeded").first(), timeout=30
    )
    assert (finished.current, finished.total) == (3, 3)
    assert finished.result_url == f"/lab/results/{job.pk}/"
    assert f"counting for job {job.pk}" in live_worker.log()


def test_the_request_id_travels_from_the_request_to_the_worker_logs(
    live_worker, wait_for, make_user, page_client_for
):
    client = page_client_for(make_user())
    response = client.post("/lab/count/", {"total": 2}, HTTP_X_REQUEST_ID="req-worker-77")
    assert response.status_code == 202
    job_id = response.json()["job"]
    wait_for(lambda: TaskProgress.objects.get(pk=job_id).is_finished, timeout=30)
    # The worker logs with the LOGGING settings: "[<request id>] <logger>: <message>".
    wait_for(
        lambda: (
            f"[req-worker-77] shared.tests.project.lab.tasks: counting for job {job_id}"
            in live_worker.log()
        ),
        timeout=10,
    )


def test_the_worker_sends_an_email_once_per_key(live_worker, wait_for):
    message = {
        "to": "ada@example.com",
        "subject": "Welcome",
        "template": "lab/email/welcome",
        "context": {"name": "Ada"},
        "idempotency_key": "worker-welcome-1",
    }
    send_templated_email.delay(**message)
    send_templated_email.delay(**message)  # a duplicate delivery of the same message
    wait_for(lambda: SentEmail.objects.filter(key="worker-welcome-1").exists(), timeout=30)
    wait_for(lambda: live_worker.log().count("shared.send_templated_email[") >= 4, timeout=30)
    assert SentEmail.objects.filter(key="worker-welcome-1").count() == 1
    assert "email worker-welcome-1 already sent, not sending it again" in live_worker.log()


@pytest.mark.parametrize("crash", CRASH_POINTS)
def test_a_task_whose_process_is_killed_runs_again_and_sends_one_email(
    live_prefork_worker, wait_for, crash
):
    """The production pool runs the task in a child process; the task SIGKILLs that
    child on its first attempt. Late ack + reject_on_worker_lost put the message back
    in Redis, a new child runs it again, and the idempotency key keeps it to one email."""
    key = f"worker-lost-{crash}"
    Counter.objects.create(name=key)
    result = send_welcome_dying_once.delay(  # to the prefork worker's queue (see the task)
        attempts=key, to="ada@example.com", idempotency_key=key, crash=crash
    )
    # Logged when an attempt returns (the worker then acknowledges the message). It takes
    # seconds: the worker requeues the message as soon as it notices its child is gone.
    # Nothing here waits for Redis's visibility timeout (2 hours): that would time out.
    finished = wait_for(
        lambda: re.search(
            rf"\[{result.id}\] succeeded in [\d.]+s: (True|False)", live_prefork_worker.log()
        ),
        timeout=30,
    )
    log = live_prefork_worker.log()

    # Attempted twice: killed once, run again from the same message.
    assert Counter.objects.get(name=key).value == 2
    attempts = re.findall(rf"attempt (\d) of {key} in process (\d+), redelivered=(\w+)", log)
    (first, first_pid, first_redelivered), (second, second_pid, second_redelivered) = attempts
    assert (first, first_redelivered) == ("1", "False")
    assert (second, second_redelivered) == ("2", "True")  # the broker gave it back
    assert "signal 9 (SIGKILL)" in log
    # A new child ran the second attempt; the worker itself is alive and well.
    assert first_pid != second_pid
    assert live_prefork_worker.process.poll() is None
    assert str(live_prefork_worker.process.pid) not in (first_pid, second_pid)

    # Done once in effect: one key, one email printed by the console backend.
    assert SentEmail.objects.filter(key=key).count() == 1
    assert log.count(f"Subject: Welcome ({key})") == 1
    # The rerun sent the email only if the first attempt died before sending it.
    sent_by_the_rerun = crash == "before_sending"
    assert finished.group(1) == str(sent_by_the_rerun)
    assert (f"email {key} already sent, not sending it again" in log) is not sent_by_the_rerun


def test_a_task_whose_whole_worker_dies_runs_again_after_the_visibility_timeout(
    start_live_worker, wait_for
):
    """When the whole worker dies (kill -9, a lost machine), no process is left to put the
    message back. The Redis transport keeps every message it delivers in its ``unacked``
    hash, scored by delivery time; any worker puts back those older than the visibility
    timeout (2 hours), when it starts and every ~100 s. The test ages the message by two
    hours instead of waiting for them, then starts a new worker."""
    queue, key = "whole-worker-tests", "worker-lost-whole"
    Counter.objects.create(name=key)
    first = start_live_worker(queue=queue)
    result = send_welcome_dying_once.apply_async(
        kwargs={
            "attempts": key,
            "to": "ada@example.com",
            "idempotency_key": key,
            "crash": WHOLE_WORKER,
        },
        queue=queue,
    )
    wait_for(lambda: first.process.poll() is not None, timeout=30)
    assert Counter.objects.get(name=key).value == 1

    with first.app.connection_for_write() as connection:
        redis = connection.default_channel.client
        unacked = {
            tag: json.loads(payload)[0]["headers"]["id"]
            for tag, payload in redis.hgetall("unacked").items()
        }
        [tag] = [tag for tag, task_id in unacked.items() if task_id == result.id]
        # Not back in the queue by itself: a worker started now would not take it.
        assert redis.llen(queue) == 0
        redis.zadd("unacked_index", {tag: time.time() - VISIBILITY_TIMEOUT_SECONDS - 1})

    second = start_live_worker(queue=queue)  # restores what timed out as it starts
    wait_for(lambda: f"[{result.id}] succeeded" in second.log(), timeout=30)
    attempts = re.findall(rf"attempt (\d) of {key} in process \d+, redelivered=(\w+)", second.log())
    assert attempts == [("2", "True")]
    assert Counter.objects.get(name=key).value == 2
    assert SentEmail.objects.filter(key=key).count() == 1
    assert second.log().count(f"Subject: Welcome ({key})") == 1
