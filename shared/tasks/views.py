"""The progress of a job as a stream of server-sent events, for the progress bar.

An async view: under an ASGI server (uvicorn, daphne) each open stream is a
coroutine waiting on a timer, not a thread blocked in a loop, so a few hundred
watchers cost little. Under a WSGI server (``runserver``, gunicorn's sync or
gthread workers) Django would buffer an async stream until its end, so the view
hands WSGI a plain generator instead: it works, but holds a thread per watcher.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponseNotFound, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from shared.tasks.api import TaskProgressSerializer
from shared.tasks.models import TaskProgress

# Defaults a project may override in settings (TASK_PROGRESS_POLL_SECONDS, ...).
POLL_SECONDS = 0.5
# A stream is bounded: when it ends before the job, the browser's EventSource
# reconnects by itself, so no connection lives forever behind a proxy.
MAX_STREAM_SECONDS = 120
KEEPALIVE_SECONDS = 15
# Sent first: how long the browser waits before reconnecting.
RETRY = "retry: 2000\n\n"


def sse_event(event: str, data: Mapping[str, Any]) -> str:
    """One event in the text/event-stream format: ``event:`` and ``data:`` lines, a blank line."""
    return f"event: {event}\ndata: {json.dumps(data, default=str)}\n\n"


class ProgressEvents:
    """What to send after each poll; the async and the sync loop below share it."""

    def __init__(self, max_seconds: float) -> None:
        self.deadline = time.monotonic() + max_seconds
        self.last_sent: datetime | None = None
        self.quiet_since = time.monotonic()

    def chunks(self, job: TaskProgress) -> list[str]:
        """A ``progress`` event if the job changed, a keep-alive comment if quiet for long."""
        now = time.monotonic()
        if job.updated != self.last_sent:
            self.last_sent, self.quiet_since = job.updated, now
            return [sse_event("progress", TaskProgressSerializer(job).data)]
        if now - self.quiet_since > KEEPALIVE_SECONDS:
            self.quiet_since = now
            return [": keepalive\n\n"]  # a comment line keeps proxies from closing the stream
        return []

    def over(self, job: TaskProgress) -> bool:
        return job.is_finished or time.monotonic() >= self.deadline


async def progress_events(
    job: TaskProgress, *, poll_seconds: float, max_seconds: float
) -> AsyncIterator[str]:
    """Send the job's state now and after every change, until it finishes or time is up."""
    events = ProgressEvents(max_seconds)
    yield RETRY
    while True:
        for chunk in events.chunks(job):
            yield chunk
        if events.over(job):
            return
        await asyncio.sleep(poll_seconds)
        job = await TaskProgress.objects.aget(pk=job.pk)


def progress_events_sync(
    job: TaskProgress, *, poll_seconds: float, max_seconds: float
) -> Iterator[str]:
    """The same stream for WSGI servers, which iterate responses in a thread."""
    events = ProgressEvents(max_seconds)
    yield RETRY
    while True:
        yield from events.chunks(job)
        if events.over(job):
            return
        time.sleep(poll_seconds)
        job = TaskProgress.objects.get(pk=job.pk)


@require_GET
async def progress_stream(request: HttpRequest, pk: UUID) -> HttpResponseBase:
    user = await request.auser()
    job = await TaskProgress.objects.visible_to(user).filter(pk=pk).afirst()
    if job is None:
        # A plain 404, not the HTML error page: the reader is EventSource, not a person.
        return HttpResponseNotFound("No such job.", content_type="text/plain")
    stream = progress_events if isinstance(request, ASGIRequest) else progress_events_sync
    events = stream(
        job,
        poll_seconds=getattr(settings, "TASK_PROGRESS_POLL_SECONDS", POLL_SECONDS),
        max_seconds=getattr(settings, "TASK_PROGRESS_MAX_STREAM_SECONDS", MAX_STREAM_SECONDS),
    )
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event through at once
    return response
