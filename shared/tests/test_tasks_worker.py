"""A real Celery worker process runs the tasks (services mode: PostgreSQL + Redis)."""

import pytest

from shared.tasks.email import send_templated_email
from shared.tasks.models import SentEmail, TaskProgress
from shared.tests.project.lab.services import start_counting

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
