"""The progress of a job as a stream of server-sent events, for the progress bar.

An async view: each open stream is a coroutine waiting on a timer, not a thread
blocked in a loop, so a few hundred watchers cost little under an ASGI server.
(Under WSGI, e.g. gunicorn's sync workers, Django still serves it, but each
stream then holds a worker for its whole duration.)
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, StreamingHttpResponse
from django.views.decorators.http import require_GET

from shared.tasks.api import TaskProgressSerializer
from shared.tasks.models import TaskProgress

# Defaults a project may override in settings (TASK_PROGRESS_POLL_SECONDS, ...).
POLL_SECONDS = 0.5
# A stream is bounded: when it ends before the job, the browser's EventSource
# reconnects by itself, so no connection lives forever behind a proxy.
MAX_STREAM_SECONDS = 120
KEEPALIVE_SECONDS = 15


def sse_event(event: str, data: dict) -> str:
    """One event in the text/event-stream format: ``event:`` and ``data:`` lines, a blank line."""
    return f"event: {event}\ndata: {json.dumps(data, default=str)}\n\n"


async def progress_events(
    job: TaskProgress, *, poll_seconds: float, max_seconds: float
) -> AsyncIterator[str]:
    """Send the job's state now and after every change, until it finishes or time is up."""
    yield "retry: 2000\n\n"  # how long the browser waits before reconnecting
    deadline = time.monotonic() + max_seconds
    last_sent = None
    quiet_since = time.monotonic()
    while True:
        if job.updated != last_sent:
            yield sse_event("progress", TaskProgressSerializer(job).data)
            last_sent, quiet_since = job.updated, time.monotonic()
        elif time.monotonic() - quiet_since > KEEPALIVE_SECONDS:
            yield ": keepalive\n\n"  # a comment line keeps proxies from closing an idle stream
            quiet_since = time.monotonic()
        if job.is_finished or time.monotonic() >= deadline:
            return
        await asyncio.sleep(poll_seconds)
        job = await TaskProgress.objects.aget(pk=job.pk)


@require_GET
async def progress_stream(request: HttpRequest, pk) -> HttpResponse:
    user = await request.auser()
    job = await TaskProgress.objects.visible_to(user).filter(pk=pk).afirst()
    if job is None:
        # A plain 404, not the HTML error page: the reader is EventSource, not a person.
        return HttpResponseNotFound("No such job.", content_type="text/plain")
    events = progress_events(
        job,
        poll_seconds=getattr(settings, "TASK_PROGRESS_POLL_SECONDS", POLL_SECONDS),
        max_seconds=getattr(settings, "TASK_PROGRESS_MAX_STREAM_SECONDS", MAX_STREAM_SECONDS),
    )
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event through at once
    return response
