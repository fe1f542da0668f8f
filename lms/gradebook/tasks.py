"""The gradebook's job: the weekly instructor digest (beat, Monday morning)."""

from gradebook import services
from shared.tasks.base import task


@task(name="gradebook.send_instructor_digests")
def send_instructor_digests() -> int:
    return services.send_instructor_digests()
