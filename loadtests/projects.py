"""What the runner needs to know about each capstone's load test, in one place.

Adding a capstone to the load tests = a ``loadtests/<project>/locustfile.py`` plus
one entry here (see loadtests/README.md).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LoadProfile:
    # Arguments for ``manage.py seed_demo`` in a load test: a realistic amount of data.
    seed_args: tuple[str, ...] = ()
    # Python run in ``manage.py shell`` after the seed, for volume the seed does not make.
    post_seed: str = ""
    # Accounts created for the run, per role: one per simulated user where two users
    # sharing an account would share state (a cart, a mailbox) and distort the test.
    extra_accounts: dict[str, int] = field(default_factory=dict)
    # Limits of a full load test on this machine: the run fails above them.
    max_failure_ratio: float = 0.01
    max_p95_ms: int = 1500
    # Defaults of `make loadtest` when USERS/SPAWN_RATE/DURATION are not given.
    users: int = 30
    spawn_rate: float = 3
    duration: str = "2m"
    # The smoke run: a few users for a few seconds, every step at least once.
    smoke_users: int = 4
    smoke_duration: str = "25s"
    # Environment for the server (e.g. turn on a counter the report reads).
    server_env: dict[str, str] = field(default_factory=dict)
    # A manage.py command printing one JSON object of figures for the report, run with
    # "--reset" before locust starts and again after it stops (its output goes in the summary).
    stats_command: str = ""
    # Every step a journey names; the smoke run fails when one never ran.
    # (Each locustfile exports STEPS; this is filled from there at run time.)


PROFILES: dict[str, LoadProfile] = {
    "shop": LoadProfile(
        seed_args=("--bulk", "2000"),
        extra_accounts={"customer": 60},
        max_failure_ratio=0.01,
        max_p95_ms=1500,
        smoke_users=4,
        # The catalog cache's hit ratio under the journey's mix (issue: goal 0.9 or better).
        server_env={"CATALOG_CACHE_STATS": "1"},
        stats_command="catalog_cache_stats --json",
    ),
    "hospital": LoadProfile(
        # The demo seed has a handful of patients; a desk works on thousands.
        seed_args=("--bulk", "5000"),
        extra_accounts={},
        max_failure_ratio=0.01,
        # Measured on the 2-core machine shared with the generator: 20 users gave p95
        # ~1.5 s (staff pages after a login burst); the limit leaves room for noise.
        max_p95_ms=2500,
        users=20,
        spawn_rate=2,
        smoke_users=4,
    ),
    "lms": LoadProfile(
        # Generated courses so the catalogue has pages; learners enrol and study in them.
        seed_args=("--bulk", "60"),
        # One account per simulated learner: two users on one account would share progress.
        extra_accounts={"student": 40},
        max_failure_ratio=0.01,
        max_p95_ms=2500,
        users=20,
        spawn_rate=2,
        smoke_users=4,
        # A learner's journey is long (enrol, lessons, a timed quiz), and logins are slow on
        # purpose (Argon2): a short smoke on a busy machine ends before every step ran.
        smoke_duration="60s",
    ),
}
