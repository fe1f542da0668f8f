"""The Celery app factory, enqueueing on commit, retries, and the request id in task logs."""

import logging

import pytest
from django.core import mail
from django.db import OperationalError, transaction
from django_guid.log_filters import CorrelationId

from shared.tasks.base import BaseTask, enqueue_on_commit
from shared.tasks.celery import RELIABLE_DEFAULTS, make_celery_app
from shared.tasks.email import send_templated_email
from shared.tasks.models import TaskProgress
from shared.tests.project.lab.models import Counter
from shared.tests.project.lab.services import start_counting
from shared.tests.project.lab.tasks import always_fails, count_to, flaky

WELCOME = {"subject": "Welcome", "template": "lab/email/welcome", "context": {"name": "Ada"}}


# --- The app factory ----------------------------------------------------------------


def test_the_project_app_has_the_reliable_defaults():
    from shared.tests.project import celery_app

    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    assert conf.task_time_limit > conf.task_soft_time_limit
    # Redis re-delivers a message not acked within the visibility timeout: it must
    # outlast the longest task, or a slow task would run twice at once.
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


def test_the_factory_reads_celery_settings_from_django(settings):
    app = make_celery_app("factory-test", settings_module="shared.tests.project.settings")
    assert app.main == "factory-test"
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_acks_late is RELIABLE_DEFAULTS["task_acks_late"]


def test_a_project_setting_wins_over_a_reliable_default(settings):
    settings.CELERY_TASK_TIME_LIMIT = 15 * 60
    app = make_celery_app("factory-test", settings_module="shared.tests.project.settings")
    assert app.conf.task_time_limit == 15 * 60
    # The defaults the project left alone still apply.
    assert app.conf.task_soft_time_limit == RELIABLE_DEFAULTS["task_soft_time_limit"]
    assert app.conf.task_acks_late is True


def test_tasks_use_the_retrying_base_task():
    assert isinstance(flaky, BaseTask)
    assert isinstance(send_templated_email, BaseTask)
    assert OperationalError in flaky.autoretry_for


# --- Enqueue on commit --------------------------------------------------------------


@pytest.mark.django_db
def test_task_is_enqueued_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = start_counting(owner=None, total=3)
        # Inside the transaction nothing has run yet: the row the task needs
        # is not even visible to a worker.
        assert TaskProgress.objects.get(pk=job.pk).state == "pending"
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.state, job.current, job.result_url) == ("succeeded", 3, f"/lab/results/{job.pk}/")


@pytest.mark.django_db
def test_nothing_is_enqueued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(send_templated_email, to=["a@example.com"], **WELCOME)
        raise RuntimeError("the order could not be saved")
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_real_commit_and_rollback_decide_whether_the_task_runs():
    """No capture here: real transactions, and the task runs eagerly on commit."""
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(send_templated_email, to=["rolled@example.com"], **WELCOME)
        raise RuntimeError("rolled back")
    assert mail.outbox == []

    with transaction.atomic():
        enqueue_on_commit(send_templated_email, to=["kept@example.com"], **WELCOME)
        assert mail.outbox == []  # still inside the transaction
    assert [message.to for message in mail.outbox] == [["kept@example.com"]]


@pytest.mark.django_db(transaction=True)
def test_a_task_can_be_enqueued_by_its_name():
    """Services name the task instead of importing it (tasks import services)."""
    with transaction.atomic():
        enqueue_on_commit("shared.send_templated_email", to=["named@example.com"], **WELCOME)
        assert mail.outbox == []
    assert [message.to for message in mail.outbox] == [["named@example.com"]]


def test_an_unknown_task_name_fails_at_once():
    with pytest.raises(KeyError):
        enqueue_on_commit("shared.no_such_task")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_task_is_sent_at_once():
    enqueue_on_commit(send_templated_email, to=["now@example.com"], **WELCOME)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_second_run_of_a_finished_job_changes_nothing(caplog):
    """What late acknowledgement can cause: the same message delivered twice."""
    job = TaskProgress.objects.create(name="Count", total=2)
    count_to.delay(job_id=str(job.pk))
    first = TaskProgress.objects.get(pk=job.pk)
    with caplog.at_level(logging.INFO, logger="shared.tests.project.lab.tasks"):
        count_to.delay(job_id=str(job.pk))
    assert TaskProgress.objects.get(pk=job.pk).updated == first.updated
    assert f"job {job.pk} already finished, skipping" in caplog.messages


# --- Retries ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_transient_error_is_retried_until_the_task_succeeds():
    Counter.objects.create(name="attempts")
    result = flaky.delay(counter="attempts", failures=2)
    assert result.get() == 3  # two failures, then the third attempt succeeded
    assert Counter.objects.get(name="attempts").value == 3


@pytest.mark.django_db
def test_retries_stop_after_max_retries():
    Counter.objects.create(name="attempts")
    with pytest.raises(OperationalError):
        flaky.delay(counter="attempts", failures=100)
    assert Counter.objects.get(name="attempts").value == 1 + flaky.max_retries


@pytest.mark.django_db
def test_a_job_is_marked_failed_when_its_task_gives_up():
    job = TaskProgress.objects.create(name="Doomed")
    with pytest.raises(OperationalError):
        always_fails.delay(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.state == "failed"
    assert "failed" in job.message


# --- The request id in the task's logs ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_task_logs_with_the_id_of_the_request_that_enqueued_it(
    make_user, page_client_for, caplog
):
    caplog.handler.addFilter(CorrelationId())  # what the console handler of LOGGING does
    client = page_client_for(make_user())
    with caplog.at_level(logging.INFO, logger="shared.tests.project.lab.tasks"):
        response = client.post("/lab/count/", {"total": 2}, HTTP_X_REQUEST_ID="req-4242")
    assert response.status_code == 202
    job = TaskProgress.objects.get(pk=response.json()["job"])
    assert job.state == "succeeded"  # the task ran (eagerly, on commit)

    task_records = [r for r in caplog.records if r.name == "shared.tests.project.lab.tasks"]
    assert [r.getMessage() for r in task_records] == [f"counting for job {job.pk}"]
    assert task_records[0].correlation_id == "req-4242"
    # ... and the request kept its id after the task ran in its thread.
    assert response["X-Request-ID"] == "req-4242"


@pytest.mark.django_db
def test_a_task_outside_any_request_gets_an_id_of_its_own(
    caplog, django_capture_on_commit_callbacks
):
    caplog.handler.addFilter(CorrelationId())
    with (
        caplog.at_level(logging.INFO, logger="shared.tests.project.lab.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = start_counting(owner=None, total=1)
    records = [r for r in caplog.records if r.name == "shared.tests.project.lab.tasks"]
    assert records, f"the task did not run for {job.pk}"
    assert records[0].correlation_id not in ("", "-", None)


def test_a_worker_discovers_the_shared_tasks():
    from shared.tests.project import celery_app

    celery_app.loader.import_default_modules()  # what a worker does as it starts
    assert "shared.send_templated_email" in celery_app.tasks
    assert "shared.tests.project.lab.tasks.count_to" in celery_app.tasks


# --- Housekeeping, declared in code -------------------------------------------------------


def test_every_project_app_prunes_old_records_nightly():
    from shared.tests.project import celery_app

    entry = celery_app.conf.beat_schedule["shared: prune old task records"]
    assert entry["task"] == "shared.prune_task_records"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {17})


@pytest.mark.django_db
def test_prune_deletes_old_finished_jobs_and_email_keys_only():
    from datetime import timedelta

    from django.utils import timezone

    from shared.tasks.models import SentEmail
    from shared.tasks.tasks import prune_task_records

    long_ago = timezone.now() - timedelta(days=31)
    old_done = TaskProgress.objects.create(name="old done", state="succeeded")
    old_stuck = TaskProgress.objects.create(name="old stuck", state="running")
    TaskProgress.objects.create(name="recent", state="failed")
    TaskProgress.objects.filter(pk__in=[old_done.pk, old_stuck.pk]).update(updated=long_ago)
    SentEmail.objects.create(key="old", to="a@example.com", subject="x")
    SentEmail.objects.filter(key="old").update(sent_at=long_ago)
    SentEmail.objects.create(key="new", to="a@example.com", subject="x")

    assert prune_task_records.delay(keep_days=30).get() == {"jobs": 1, "emails": 1}
    assert set(TaskProgress.objects.values_list("name", flat=True)) == {"old stuck", "recent"}
    assert list(SentEmail.objects.values_list("key", flat=True)) == ["new"]
