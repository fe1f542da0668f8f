"""The load of one bench measurement: every user requests one URL in a loop, no think time.

``loadtests/bench.py`` runs it headless, once per variant (real endpoint, bare view,
N+1 version, ...), and reads the CSV. The URL and its headers come from the
environment: ``BENCH_PATH`` (one path, or several separated by spaces, taken in
turn) and ``BENCH_TOKEN`` (a JWT for endpoints that need one).
"""

import itertools
import os

import gevent
from locust import FastHttpUser, task

PATHS = os.environ.get("BENCH_PATH", "/healthz").split()
HEADERS = {"Accept": "application/json"}
if os.environ.get("BENCH_TOKEN"):
    HEADERS["Authorization"] = f"Bearer {os.environ['BENCH_TOKEN']}"


class Client(FastHttpUser):
    # No wait_time: each user sends the next request as soon as the last one answered,
    # so the number of users is the number of requests in flight.

    def on_start(self):
        self.paths = itertools.cycle(PATHS)

    @task
    def fetch(self):
        path = next(self.paths)
        # One row in the statistics for the whole run, whatever the path.
        self.client.get(path, headers=HEADERS, name="bench")


# gevent's loop caches "now" when it is created; on a busy machine locust's imports can
# take seconds after that, and --run-time (a gevent timer) would then fire that much early.
gevent.get_hub().loop.update_now()
