"""Reminders (exactly once, never for cancelled) and the nightly no-show sweep."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from scheduling import services, tasks
from scheduling.models import TRANSITIONS, Appointment, AppointmentStatus
from scheduling.tests.factories import AppointmentFactory

S = AppointmentStatus
pytestmark = pytest.mark.django_db


def _starting_in(hours: float, **kwargs) -> Appointment:
    start = timezone.now() + timedelta(hours=hours)
    return AppointmentFactory(start=start, end=start + timedelta(minutes=20), **kwargs)


def test_a_reminder_goes_out_once_however_often_the_job_runs(django_capture_on_commit_callbacks):
    due = _starting_in(20)
    _starting_in(30)  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.queue_due_reminders.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.queue_due_reminders.delay().get() == 0  # claimed: not queued again
    assert tasks.send_appointment_reminder.delay(due.pk).get() is False  # a duplicate message
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [due.patient.email]
    assert "Reminder" in mail.outbox[0].subject and due.patient.first_name in mail.outbox[0].body
    due.refresh_from_db()
    assert due.reminder_sent_at is not None


def test_no_reminder_for_cancelled_or_past_or_unreachable_appointments():
    cancelled = _starting_in(5, status=S.CANCELLED)
    _starting_in(-1)
    no_email = _starting_in(5, patient__email="")
    assert services.due_reminder_ids() == []
    assert services.send_reminder(appointment_id=cancelled.pk) is False
    assert services.send_reminder(appointment_id=no_email.pk) is False
    assert mail.outbox == []


def test_a_failed_send_is_retried_by_the_email_task_and_sent_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    due = _starting_in(3)
    real_send = EmailMultiAlternatives.send
    attempts = []

    def send_failing_once(self, *args, **kwargs):
        attempts.append(self.subject)
        if len(attempts) == 1:
            raise ConnectionError("SMTP down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send_failing_once)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminder(appointment_id=due.pk) is True
    assert len(attempts) == 2  # the shared task retried the transient error
    assert len(mail.outbox) == 1
    due.refresh_from_db()
    assert due.reminder_sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminder(appointment_id=due.pk) is False  # claimed once only
    assert len(mail.outbox) == 1


def test_the_sweep_marks_missed_appointments_as_no_show(settings):
    settings.HOSPITAL_NO_SHOW_GRACE_MINUTES = 30
    missed = _starting_in(-2)
    just_ended = _starting_in(-0.5)  # ended 10 minutes ago: still in the grace period
    completed = _starting_in(-3, status=S.COMPLETED)
    requested = _starting_in(-4, status=S.REQUESTED)
    assert tasks.sweep_no_shows.delay().get() == 1
    assert tasks.sweep_no_shows.delay().get() == 0  # idempotent
    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses == {
        missed.pk: S.NO_SHOW,
        just_ended.pk: S.SCHEDULED,
        completed.pk: S.COMPLETED,
        requested.pk: S.REQUESTED,
    }
    change = missed.status_changes.get()
    assert (change.from_status, change.changed_by, change.note) == (
        "scheduled",
        None,
        "nightly sweep",
    )


def test_the_sweep_leaves_a_row_changed_meanwhile_alone():
    missed = _starting_in(-2)
    Appointment.objects.filter(pk=missed.pk).update(status=S.CHECKED_IN)  # the desk, just now
    stale = Appointment.objects.get(pk=missed.pk)
    stale.status = S.SCHEDULED
    assert services._apply(stale, TRANSITIONS["no_show"]) is False  # the UPDATE matched no row
    missed.refresh_from_db()
    assert missed.status == S.CHECKED_IN


def test_the_beat_schedule_names_real_tasks(settings):
    from config.celery_app import app

    app.loader.import_default_modules()  # what a worker does at start: import every tasks.py
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_live_worker_runs_the_nightly_sweep(live_worker, wait_for):
    """The beat entry's task name, the broker and a real worker process, end to end."""
    missed = _starting_in(-3)
    tasks.sweep_no_shows.delay()
    wait_for(
        lambda: Appointment.objects.filter(pk=missed.pk, status=S.NO_SHOW).exists(), timeout=30
    )
    assert missed.status_changes.get().note == "nightly sweep"
