"""Task progress: the service, the task-side API, the JSON endpoint, the stream, the include."""

import json
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.template.loader import render_to_string
from django.test import RequestFactory

from shared.tasks.models import TaskProgress
from shared.tasks.services import start_job

pytestmark = pytest.mark.django_db


def parse_events(text: str) -> list[tuple[str, dict]]:
    """``[(event, data), ...]`` from a text/event-stream body (comments and retry skipped)."""
    events = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            events.append((fields["event"], json.loads(fields["data"])))
    return events


# --- The service and the task-side API ----------------------------------------------


def test_start_job_creates_a_pending_row(make_user):
    owner = make_user()
    job = start_job(name="Export orders", owner=owner, total=10)
    job.refresh_from_db()
    assert (job.name, job.owner, job.state, job.current, job.total) == (
        "Export orders", owner, "pending", 0, 10,
    )  # fmt: skip
    assert job.percent == 0
    assert not job.is_finished


def test_update_then_succeed_moves_the_job_forward():
    job = start_job(name="Import", total=4)
    assert job.begin()
    assert job.update(1, message="1 of 4")
    stored = TaskProgress.objects.get(pk=job.pk)
    assert (stored.state, stored.current, stored.message) == ("running", 1, "1 of 4")
    assert stored.percent == 25

    assert job.succeed(result_url="/imports/1/")
    stored.refresh_from_db()
    assert (stored.state, stored.current, stored.result_url, stored.percent) == (
        "succeeded", 4, "/imports/1/", 100,
    )  # fmt: skip


def test_update_clamps_current_and_can_learn_the_total_late():
    job = start_job(name="Crawl")  # size unknown at first
    assert job.percent is None
    job.update(7)
    assert TaskProgress.objects.get(pk=job.pk).current == 7
    job.update(12, total=10)  # never past the total: the check constraint would refuse it
    stored = TaskProgress.objects.get(pk=job.pk)
    assert (stored.current, stored.total, stored.percent) == (10, 10, 100)


def test_a_finished_job_never_moves_back():
    """A late-ack re-run of the task finds the job finished: every write is refused."""
    job = start_job(name="Report", total=2)
    job.succeed(result_url="/r/1/")

    rerun = TaskProgress.objects.get(pk=job.pk)  # what a second run of the task would load
    assert rerun.begin() is False
    assert rerun.update(1, message="again") is False
    assert rerun.fail("boom") is False
    stored = TaskProgress.objects.get(pk=job.pk)
    assert (stored.state, stored.current, stored.result_url) == ("succeeded", 2, "/r/1/")


def test_a_stale_copy_is_refreshed_when_its_write_is_refused():
    job = start_job(name="Report", total=2)
    stale = TaskProgress.objects.get(pk=job.pk)
    job.fail("The source file is corrupt")
    assert stale.update(1) is False
    assert (stale.state, stale.message) == ("failed", "The source file is corrupt")


def test_visible_to_owner_and_staff_only(make_user):
    owner, other, staff = make_user(), make_user(), make_user(is_staff=True)
    mine = start_job(name="Mine", owner=owner)
    system = start_job(name="Nightly")
    assert list(TaskProgress.objects.visible_to(owner)) == [mine]
    assert list(TaskProgress.objects.visible_to(other)) == []
    assert set(TaskProgress.objects.visible_to(staff)) == {mine, system}


def test_str_names_the_job_and_its_state():
    assert str(start_job(name="Export")) == "Export (pending)"


# --- The JSON endpoint ----------------------------------------------------------------


def test_api_returns_the_progress_to_its_owner(make_user, api_client_for):
    owner = make_user()
    job = start_job(name="Export", owner=owner, total=4)
    job.update(1, message="1 of 4")
    response = api_client_for(owner).get(f"/api/v1/tasks/{job.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(job.pk)
    assert (body["state"], body["current"], body["total"], body["percent"]) == ("running", 1, 4, 25)
    assert (body["message"], body["is_finished"], body["result_url"]) == ("1 of 4", False, "")


def test_api_lets_staff_read_any_job(make_user, api_client_for):
    job = start_job(name="Nightly")
    response = api_client_for(make_user(is_staff=True)).get(f"/api/v1/tasks/{job.pk}/")
    assert response.status_code == 200
    assert response.json()["name"] == "Nightly"


def test_api_hides_a_job_from_other_users(make_user, api_client_for):
    job = start_job(name="Export", owner=make_user())
    response = api_client_for(make_user()).get(f"/api/v1/tasks/{job.pk}/")
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


def test_api_requires_authentication(api_client):
    job = start_job(name="Export")
    assert api_client.get(f"/api/v1/tasks/{job.pk}/").status_code == 401


def test_api_url_rejects_a_non_uuid(make_user, api_client_for):
    assert api_client_for(make_user()).get("/api/v1/tasks/42/").status_code == 404


# --- The server-sent events stream --------------------------------------------------------


def test_stream_sends_a_finished_job_once_and_ends(make_user, async_client):
    owner = make_user()
    job = start_job(name="Export", owner=owner, total=2)
    job.succeed(result_url="/exports/1/")

    async def watch():
        await async_client.aforce_login(owner)
        response = await async_client.get(f"/tasks/{job.pk}/events/")
        body = "".join([chunk.decode() async for chunk in response.streaming_content])
        return response, body

    response, body = async_to_sync(watch)()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert body.startswith("retry: ")
    events = parse_events(body)
    assert [name for name, _ in events] == ["progress"]
    assert events[0][1]["state"] == "succeeded"
    assert events[0][1]["result_url"] == "/exports/1/"


def test_stream_follows_a_running_job_until_it_finishes(make_user, async_client, settings):
    settings.TASK_PROGRESS_POLL_SECONDS = 0.01
    owner = make_user()
    job = start_job(name="Export", owner=owner, total=3)

    async def watch():
        await async_client.aforce_login(owner)
        response = await async_client.get(f"/tasks/{job.pk}/events/")
        seen = []
        async for chunk in response.streaming_content:
            for _, data in parse_events(chunk.decode()):
                seen.append(data)
                # Play the task between two polls of the stream.
                if len(seen) == 1:
                    await sync_to_async(job.update)(2, message="2 of 3")
                elif len(seen) == 2:
                    await sync_to_async(job.succeed)(result_url="/exports/9/")
        return seen

    seen = async_to_sync(watch)()
    assert [(e["state"], e["current"]) for e in seen] == [
        ("pending", 0), ("running", 2), ("succeeded", 3),
    ]  # fmt: skip
    assert seen[-1]["result_url"] == "/exports/9/"


def test_stream_is_bounded_in_time(make_user, async_client, settings):
    """A job that never moves: the stream ends after its maximum duration (the
    browser reconnects), with keep-alive comments while it is quiet."""
    settings.TASK_PROGRESS_POLL_SECONDS = 0.01
    settings.TASK_PROGRESS_MAX_STREAM_SECONDS = 0.3
    owner = make_user()
    job = start_job(name="Stuck", owner=owner)

    async def watch():
        await async_client.aforce_login(owner)
        response = await async_client.get(f"/tasks/{job.pk}/events/")
        return "".join([chunk.decode() async for chunk in response.streaming_content])

    body = async_to_sync(watch)()
    assert [data["state"] for _, data in parse_events(body)] == ["pending"]


def test_stream_sends_keepalive_comments_while_quiet(monkeypatch):
    from shared.tasks import views

    monkeypatch.setattr(views, "KEEPALIVE_SECONDS", 0)
    job = start_job(name="Quiet")

    async def collect():
        events = views.progress_events(job, poll_seconds=0.01, max_seconds=0.1)
        return [chunk async for chunk in events]

    chunks = async_to_sync(collect)()
    assert ": keepalive\n\n" in chunks
    chunks = list(views.progress_events_sync(job, poll_seconds=0.01, max_seconds=0.1))
    assert ": keepalive\n\n" in chunks


def test_under_wsgi_the_stream_is_a_plain_generator(make_user, client, settings):
    """``runserver`` and gunicorn speak WSGI, which would buffer an async stream to its
    end: there the view streams from a generator, each event as soon as it exists."""
    settings.TASK_PROGRESS_POLL_SECONDS = 0
    owner = make_user()
    job = start_job(name="Export", owner=owner, total=2)
    client.force_login(owner)
    response = client.get(f"/tasks/{job.pk}/events/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"

    seen = []
    for chunk in response.streaming_content:  # a sync iterator: no buffering
        for _, data in parse_events(chunk.decode()):
            seen.append(data)
            if len(seen) == 1:
                job.update(1, message="half way")
            elif len(seen) == 2:
                job.succeed(result_url="/exports/5/")
    assert [(e["state"], e["current"]) for e in seen] == [
        ("pending", 0), ("running", 1), ("succeeded", 2),
    ]  # fmt: skip


def test_stream_hides_a_job_from_other_users(make_user, async_client):
    job = start_job(name="Export", owner=make_user())
    intruder = make_user()

    async def watch():
        await async_client.aforce_login(intruder)
        return await async_client.get(f"/tasks/{job.pk}/events/")

    assert async_to_sync(watch)().status_code == 404


def test_stream_refuses_anonymous_visitors(async_client):
    job = start_job(name="Export")
    assert async_to_sync(async_client.get)(f"/tasks/{job.pk}/events/").status_code == 404


# --- The template include ----------------------------------------------------------------------


def render_include(job) -> str:
    request = RequestFactory().get("/")
    return render_to_string("shared/progress.html", {"job": job}, request=request)


def test_include_renders_a_progress_bar_wired_to_the_stream():
    job = start_job(name="Export", total=8)
    job.update(2, message="2 of 8")
    html = render_include(job)
    assert f'data-events-url="/tasks/{job.pk}/events/"' in html
    assert 'data-state="running"' in html
    assert '<progress id="task-progress-' in html
    assert 'max="8" value="2"' in html
    assert "2 of 8" in html
    assert 'src="/static/shared/js/progress.js"' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    assert 'href="#" hidden' in html  # no result yet


def test_include_shows_an_indeterminate_bar_while_the_size_is_unknown():
    html = render_include(start_job(name="Crawl"))
    assert "<progress" in html
    assert " value=" not in html


def test_include_links_to_the_result_once_done():
    job = start_job(name="Export", total=1)
    job.succeed(result_url="/exports/3/")
    html = render_include(job)
    assert 'href="/exports/3/">See the result</a>' in html
    assert 'value="1"' in html


def test_page_including_the_bar_passes_the_csp(make_user, page_client_for):
    owner = make_user()
    job = start_job(name="Export", owner=owner, total=2)
    response = page_client_for(owner).get(f"/lab/jobs/{job.pk}/")
    assert response.status_code == 200
    assert b"data-task-progress" in response.content
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_progress_script_is_a_static_file_using_eventsource():
    from django.contrib.staticfiles import finders

    path = finders.find("shared/js/progress.js")
    assert path, "shared/js/progress.js is not found by the static files finders"
    source = Path(path).read_text()
    assert "new EventSource(widget.dataset.eventsUrl)" in source
    assert 'addEventListener("progress"' in source
