"""What every journey needs besides logging in: think times, accounts, seeded ids, limits.

The runner (``loadtests/run.py``) passes settings through the environment, so a
locustfile also runs on its own (``locust -f loadtests/shop/locustfile.py``):

* ``LOADTEST_THINK_SCALE``: multiplies every think time (0.05 in the smoke run).
* ``LOADTEST_LOGINS``: JSON list of ``{role, email, password}`` (demo logins plus the
  accounts the runner created for the load test).
* ``LOADTEST_EQUAL_WEIGHTS``: every user class weighs 1 (the smoke run starts one of each).
* ``LOADTEST_MAX_FAILURE_RATIO`` / ``LOADTEST_MAX_P95_MS``: the project's limits;
  locust exits with code 1 when the run passes one of them.
"""

import itertools
import json
import logging
import os
import random

import gevent
from gevent.lock import Semaphore
from locust import between, events

from loadtests.common.auth import LoginFailed

log = logging.getLogger("loadtests")

# gevent's loop caches "now" when it is created; on a busy machine locust's imports can
# take seconds after that, and --run-time (a gevent timer) would then fire that much early.
gevent.get_hub().loop.update_now()

THINK_SCALE = float(os.environ.get("LOADTEST_THINK_SCALE", "1"))
DEMO_PASSWORD = "demo-pass-2024"


def share(weight: int) -> int:
    """A user class's share of the users; 1 for all in the smoke run, so each class runs."""
    return 1 if os.environ.get("LOADTEST_EQUAL_WEIGHTS") else weight


def think(low: float, high: float):
    """A locust ``wait_time``: a person reads the page for ``low``..``high`` seconds."""
    return between(low * THINK_SCALE, high * THINK_SCALE)


def pause(low: float, high: float) -> None:
    """Think inside a multi-step journey (between two steps of the same task)."""
    gevent.sleep(random.uniform(low, high) * THINK_SCALE)


# --- Accounts ----------------------------------------------------------------------
def _logins() -> list[dict]:
    return json.loads(os.environ.get("LOADTEST_LOGINS", "[]"))


_login_counters: dict[str, itertools.count] = {}


def next_login(role: str) -> dict:
    """The next account holding ``role``, round-robin, so users spread over accounts.

    Two locust users on one account share that account's state (a cart, a schedule):
    the runner creates enough accounts for the roles where that would distort the test.
    """
    accounts = [login for login in _logins() if login["role"] == role]
    if not accounts:
        raise LoginFailed(f"no login for role {role!r} in LOADTEST_LOGINS")
    counter = _login_counters.setdefault(role, itertools.count())
    return accounts[next(counter) % len(accounts)]


# --- Data the seed created -------------------------------------------------------------
class SeedData:
    """Ids read once per locust process from the running site (its API or a page).

    Journeys pick from what exists instead of guessing ids, so they work on any seed
    size. The first user to ask fetches; the others wait on the lock and reuse it.
    """

    _cache: dict[str, list] = {}
    _lock = Semaphore()

    @classmethod
    def get(cls, key: str, fetch) -> list:
        if key not in cls._cache:
            with cls._lock:
                if key not in cls._cache:
                    values = fetch()
                    if not values:
                        raise LoginFailed(f"the seed has no {key}")
                    cls._cache[key] = values
        return cls._cache[key]

    @classmethod
    def pick(cls, key: str, fetch):
        return random.choice(cls.get(key, fetch))


def collect(client, url: str, *, field: str = "id", pages: int = 3, headers=None) -> list:
    """Values of ``field`` from the first ``pages`` pages of a paginated list endpoint."""
    values, next_url = [], url
    for _ in range(pages):
        if not next_url:
            break
        response = client.get(next_url, headers=headers or {}, name=f"{url} [seed data]")
        response.raise_for_status()
        body = response.json()
        rows = body["results"] if isinstance(body, dict) and "results" in body else body
        values += [row[field] for row in rows]
        next_url = body.get("next") if isinstance(body, dict) else None
    return values


# --- Limits: locust's own exit code says pass/fail ---------------------------------------
@events.quitting.add_listener
def check_limits(environment, **_kwargs) -> None:
    """Exit with 1 when the failure ratio or the 95th percentile passes the project's limit."""
    total = environment.stats.total
    max_ratio = os.environ.get("LOADTEST_MAX_FAILURE_RATIO")
    max_p95 = os.environ.get("LOADTEST_MAX_P95_MS")
    if max_ratio is not None and total.fail_ratio > float(max_ratio):
        log.error("failure ratio %.4f is above the limit %s", total.fail_ratio, max_ratio)
        environment.process_exit_code = 1
    if max_p95 is not None and total.get_response_time_percentile(0.95) > float(max_p95):
        log.error(
            "p95 %.0f ms is above the limit %s ms",
            total.get_response_time_percentile(0.95),
            max_p95,
        )
        environment.process_exit_code = 1
