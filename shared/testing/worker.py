"""A real Celery worker for the services-mode tests, and a helper to wait for what it does.

The ``live_worker`` fixture of the plugin starts one worker process per test session:

    @pytest.mark.worker
    @pytest.mark.django_db(transaction=True)   # the worker must see committed rows
    def test_export_runs(live_worker):
        job = start_export(...)                 # enqueues on commit
        wait_for(lambda: TaskProgress.objects.get(pk=job.pk).is_finished)
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from celery import Celery
from celery.app.utils import find_app

# The queue of the ``live_prefork_worker``; the solo ``live_worker`` reads the default one.
PREFORK_QUEUE = "prefork-tests"


def wait_for(predicate: Callable[[], Any], timeout: float = 15, interval: float = 0.1) -> Any:
    """Call ``predicate`` until it returns something truthy, and return that.

    Raises ``TimeoutError`` after ``timeout`` seconds: a worker test waits for an
    outcome (a row, an email), it never sleeps a fixed time and hopes."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise TimeoutError(f"still false after {timeout}s: {predicate}")
        time.sleep(interval)


def database_url_for(url: str, database_name: str) -> str:
    """``url`` with its database name replaced: the worker must use the *test* database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database_name}"))


class LiveWorker:
    """One ``celery worker`` subprocess, its log file, and the app to talk to it."""

    def __init__(
        self,
        *,
        app_module: str,
        cwd: Path,
        env: dict[str, str],
        log_path: Path,
        pool: str = "solo",
        queue: str | None = None,
    ) -> None:
        self.app: Celery = find_app(app_module)
        self.app_module = app_module
        self.cwd = cwd
        self.env = env
        self.log_path = log_path
        # "solo" runs tasks in the worker's own process; "prefork" (what production
        # runs) in a child process that the worker replaces if it dies.
        self.pool = pool
        # None: the app's default queue. A name: only that queue, so that two test
        # workers never take each other's messages.
        self.queue = queue
        # A name of our own, so the ping waits for this worker and not another one.
        self.hostname = f"pytest-{os.getpid()}-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        # Messages left in the queue by an earlier run (or by tests that published
        # without a worker) would otherwise run first, against rows that are gone.
        self.purge()
        command = [
            sys.executable, "-m", "celery", "-A", self.app_module, "worker",
            # solo: one task at a time in the main process, simple and debuggable;
            # prefork with one child: one task at a time too, in a child process.
            f"--pool={self.pool}", "--concurrency=1",
            "--loglevel=INFO",
            f"--hostname={self.hostname}",
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        if self.queue:
            command.append(f"--queues={self.queue}")
        with self.log_path.open("wb") as log:
            # The command is built here from the ini option, never from user input.
            self.process = subprocess.Popen(
                command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            wait_for(self._answers_ping, timeout=timeout, interval=0.5)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"the Celery worker did not start:\n{self.log()}") from None

    def purge(self) -> None:
        """Delete the messages waiting in this worker's queue."""
        if self.queue is None:
            self.app.control.purge()  # the app's default queue
            return
        with self.app.connection_for_write() as connection:
            connection.default_channel.queue_purge(self.queue)

    def _answers_ping(self) -> bool:
        assert self.process is not None  # start() has launched it
        if self.process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited at start:\n{self.log()}")
        replies = self.app.control.ping(destination=[self.hostname], timeout=0.5)
        return any(self.hostname in reply for reply in replies)

    def log(self) -> str:
        """Everything the worker printed so far (its task logs included)."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Warm shutdown (SIGTERM: finish the current task), then kill if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
