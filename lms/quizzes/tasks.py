"""The quizzes app's job: submit the attempts whose time ran out (every minute, by beat)."""

from quizzes import services
from shared.tasks.base import task


@task(name="quizzes.submit_expired_attempts")
def submit_expired_attempts() -> int:
    return services.submit_expired_attempts()
