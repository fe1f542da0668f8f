"""The assignments app's job: deadline reminders (beat, every 15 minutes)."""

from assignments import services
from shared.tasks.base import task


@task(name="assignments.send_deadline_reminders")
def send_deadline_reminders() -> int:
    return services.send_deadline_reminders()
