"""Rows the background jobs keep: the progress of a long job, and the emails already sent."""

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

if TYPE_CHECKING:
    # For the annotations only: shared.accounts sits above shared.tasks (/.importlinter).
    from shared.accounts.models import User


class TaskProgressQuerySet(models.QuerySet["TaskProgress"]):
    def visible_to(self, user: "User | AnonymousUser") -> "TaskProgressQuerySet":
        """The jobs ``user`` may watch: their own, or every job for staff.

        The API endpoint and the event stream both read through this method, so the
        two doors cannot disagree on who sees what."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(owner=user)

    def active(self) -> "TaskProgressQuerySet":
        return self.filter(state__in=TaskProgress.ACTIVE_STATES)


class TaskProgress(models.Model):
    """The progress of one long job, written by the task and read by pages and the API.

    The row is created *before* the task is enqueued (``services.start_job``) and
    its id travels in the message, so the page can show the bar at once. Every
    write is a conditional ``UPDATE ... WHERE state IN (pending, running)``: a
    finished job never moves back, which makes the methods safe when Celery runs a
    task a second time (late ack + a worker that died).
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    ACTIVE_STATES = (State.PENDING, State.RUNNING)
    FINAL_STATES = (State.SUCCEEDED, State.FAILED)

    # A UUID, not a sequence: the id appears in URLs and must not be guessable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="task_progress",
        help_text="Who may watch the job; empty for system jobs (staff only).",
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    current = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, help_text="0 while the size is unknown.")
    message = models.CharField(max_length=500, blank=True)
    # A CharField, not a URLField: results are usually relative URLs ("/reports/7/").
    result_url = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = TaskProgressQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = "task progress"
        verbose_name_plural = "task progress"
        indexes = [models.Index(fields=["owner", "-created"], name="taskprogress_owner_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=0) | Q(current__lte=F("total")),
                name="taskprogress_current_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINAL_STATES

    @property
    def percent(self) -> int | None:
        """0-100, or None while the total is unknown (an indeterminate bar)."""
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return round(100 * self.current / self.total)

    # --- The small API a task calls ------------------------------------------------
    def begin(self) -> bool:
        """Mark the job running. False if it already finished: a re-delivered message
        for a finished job, which the task should then skip."""
        return self._write(state=self.State.RUNNING)

    def update(self, current: int, total: int | None = None, message: str | None = None) -> bool:
        """Record ``current`` out of ``total`` (kept if None). False once finished."""
        total = self.total if total is None else total
        changes: dict[str, Any] = {
            "state": self.State.RUNNING,
            "current": min(current, total) if total else current,
            "total": total,
        }
        if message is not None:
            changes["message"] = message[:500]
        return self._write(**changes)

    def succeed(self, *, result_url: str = "", message: str = "Done") -> bool:
        changes: dict[str, Any] = {
            "state": self.State.SUCCEEDED,
            "result_url": result_url,
            "message": message[:500],
        }
        if self.total:
            changes["current"] = self.total
        return self._write(**changes)

    def fail(self, message: str) -> bool:
        return self._write(state=self.State.FAILED, message=message[:500])

    def _write(self, **changes: Any) -> bool:
        # One conditional UPDATE: the WHERE clause, not a Python ``if``, decides
        # whether the job is still active, so two runs of a task cannot race past it.
        changes["updated"] = timezone.now()  # .update() bypasses auto_now
        written = TaskProgress.objects.active().filter(pk=self.pk).update(**changes)
        if written:
            for field, value in changes.items():
                setattr(self, field, value)
        else:
            self.refresh_from_db()
        return bool(written)


class SentEmail(models.Model):
    """One row per idempotency key: an email with a key is sent at most once,
    however many times its task runs."""

    key = models.CharField(max_length=200, unique=True)
    to = models.CharField(max_length=1000)
    subject = models.CharField(max_length=300)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.key} -> {self.to}"
