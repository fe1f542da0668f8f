"""Scheduling's Celery tasks: thin, take ids, call services, safe to run twice."""

from scheduling import services
from shared.tasks.base import enqueue_on_commit, task


@task(name="scheduling.send_appointment_reminder")
def send_appointment_reminder(appointment_id: int) -> bool:
    return services.send_reminder(appointment_id=appointment_id)


@task(name="scheduling.queue_due_reminders")
def queue_due_reminders() -> int:
    """Every few minutes (beat): one reminder task per appointment due. A reminder queued
    twice (two beats before the worker got to it) is still sent once: see send_reminder."""
    ids = services.due_reminder_ids()
    for appointment_id in ids:
        enqueue_on_commit("scheduling.send_appointment_reminder", appointment_id=appointment_id)
    return len(ids)


@task(name="scheduling.sweep_no_shows")
def sweep_no_shows() -> int:
    """Nightly (beat): scheduled appointments that were missed become no-shows."""
    return services.sweep_no_shows()
