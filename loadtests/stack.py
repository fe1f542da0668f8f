"""The stack a load test runs against: deploy/native_stack.py, with what a load test adds.

native_stack starts the capstone in production shape (gunicorn with the deploy
configuration, PostgreSQL, Redis, a Celery worker and beat, DEBUG off). On top of it
the load test:

* uses its own PostgreSQL database and Redis database, recreated for every run, so a
  run never collides with a stack someone else started and always starts from the seed;
* lifts the API throttles: every simulated user comes from 127.0.0.1, which a real
  site would see as one very busy client (the limits themselves are tested elsewhere);
* points the shop's sandbox payment webhook at this stack;
* creates the extra accounts the journeys need (one per simulated buyer, say).
"""

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import redis
from psycopg import sql

from deploy.native_stack import PG_URL, REDIS_BASE, Stack, native_stack

# Redis database numbers of the load-test stacks (tests use 0-5, native_stack 10-14).
REDIS_DB = {"hospital": 6, "lms": 7, "shop": 8, "crm": 9, "saas": 15}
ACCOUNT_PASSWORD = "load-pass-2024"


@dataclass
class LoadStack:
    stack: Stack
    logins: list[dict]
    description: str

    @property
    def url(self) -> str:
        return self.stack.base_url


def recreate_database(name: str) -> str:
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{PG_URL}/{name}"


def create_accounts(stack: Stack, accounts: dict[str, int]) -> list[dict]:
    """``{"customer": 60}`` -> 60 verified customers, created with the shared demo helper."""
    logins = [
        {"role": role, "email": f"load-{role}-{n}@loadtest.example", "password": ACCOUNT_PASSWORD}
        for role, count in accounts.items()
        for n in range(1, count + 1)
    ]
    if logins:
        # One manage.py process for all of them; the helper is idempotent.
        code = (
            "import json, sys; from shared.accounts.demo import seed_demo_users; "
            f"seed_demo_users(json.loads({json.dumps(json.dumps(logins))}))"
        )
        stack.manage("shell", "-c", code)
    return logins


def load_env(project: str, port: int, database_url: str, redis_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # One client address for every simulated user: a real site's limits would stop us.
        "THROTTLE_ANON": "1000000/minute",
        "THROTTLE_USER": "1000000/minute",
        "THROTTLE_AUTH": "1000000/minute",
        "AXES_FAILURE_LIMIT": "1000",
        # The shop's sandbox provider calls the webhook here, as a real provider would.
        "SHOP_PUBLIC_URL": f"http://127.0.0.1:{port}",
        # No access-log line per request: at hundreds of requests a second that is I/O the
        # server would spend on the load test's behalf. Django's own log stays at INFO.
        "GUNICORN_ACCESSLOG": "/dev/null",
    }


@contextlib.contextmanager
def loadtest_stack(
    project: str,
    *,
    port: int,
    seed_args: tuple[str, ...] = (),
    post_seed: str = "",
    accounts: dict[str, int] | None = None,
    workers: int | None = None,
    threads: int | None = None,
    extra_env: dict[str, str] | None = None,
    fresh: bool = True,
    seed: bool = True,
    celery: bool = True,
    purpose: str = "load",
    log_path=None,
) -> Iterator[LoadStack]:
    """Start ``project`` for a load test; yield a :class:`LoadStack`; stop it on exit.

    ``purpose`` names the database (``capstone_<project>_<purpose>``) and the cache key
    prefix, so the bench and a load test never share data. ``fresh`` starts from an
    empty database and cache; ``seed=False`` reuses what a previous stack seeded.
    """
    database = f"capstone_{project}_{purpose}"
    database_url = recreate_database(database) if fresh else f"{PG_URL}/{database}"
    redis_url = f"{REDIS_BASE}/{REDIS_DB[project]}"
    if fresh:
        # Cached pages and queued tasks of an earlier run name rows the new database lacks.
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(f"{purpose}:*"):
            client.delete(key)
        if celery:
            client.delete("celery", "unacked", "unacked_index")
    env = {
        **load_env(project, port, database_url, redis_url),
        "CACHE_PREFIX": purpose,
        **(extra_env or {}),
    }
    print(
        f"--- {project}: starting the production-shape stack on :{port} "
        f"(migrate, seed_demo {' '.join(seed_args)}) ...",
        flush=True,
    )
    with native_stack(
        project,
        port=port,
        workers=workers,
        threads=threads,
        seed=seed,
        seed_args=seed_args,
        celery=celery,
        extra_env=env,
    ) as stack:
        if seed and post_seed:
            print(stack.manage("shell", "-c", post_seed).strip(), flush=True)
        logins = [*stack.demo_logins, *create_accounts(stack, accounts or {})]
        conf = (
            f"gunicorn {stack.env.get('WEB_CONCURRENCY', '2')} workers x "
            f"{stack.env.get('GUNICORN_THREADS', '4')} threads, PostgreSQL, Redis, "
            + ("Celery worker + beat, " if celery else "no Celery, ")
            + "DEBUG off, no nginx"
        )
        try:
            yield LoadStack(stack=stack, logins=logins, description=conf)
        finally:
            if log_path is not None:
                with open(log_path, "w") as out:
                    for name in ("web", "worker", "beat"):
                        path = stack.log(name)
                        if path.exists():
                            out.write(f"===== {name}\n")
                            out.write(path.read_text(errors="replace")[-200_000:])
