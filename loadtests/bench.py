"""``make bench``: measure the figures of docs/performance.md, then rewrite it.

    python -m loadtests.bench              # every capstone with a bench plan
    python -m loadtests.bench shop         # one (the other's figures are kept)

Everything is a ratio of two measurements taken minutes apart on the same server and
the same data, because the absolute numbers of a 2-core machine that also runs the
load generator (and, here, other people's work) say little on their own. Variants
are measured in turn, twice each (A B A B), and averaged, so a burst of background
load hurts both sides of a ratio instead of one.
"""

import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from loadtests import report
from loadtests.measure import Result, fetch, measure, query_count, token_for
from loadtests.stack import loadtest_stack

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
DATA_FILE = DOCS / "performance-data.json"
PLOT_FILE = DOCS / "performance-users.png"
BENCH_PORT = 8181
SECONDS = 6  # per measurement
USERS = 8  # requests in flight during a comparison
CURVE_USERS = (1, 2, 4, 8, 16, 32)
BENCH_ENV = {"DJANGO_SETTINGS_MODULE": "loadtests.benchsettings"}


@dataclass
class Plan:
    """What to measure for one capstone."""

    project: str
    api: str  # the main list endpoint
    bare: str
    n1: str
    cost: str  # bench view timing COUNT(*) and the page query
    cursor: str  # bench view giving the ?cursor= path of page N (benchviews._cursor_jump)
    small_seed: tuple[str, ...]
    big_seed: tuple[str, ...]  # seed_demo arguments to reach the big size
    small_rows: int
    big_rows: int
    big_shell: str = ""  # or Python for manage.py shell, when the seed has no bulk option
    small_shell: str = ""
    rows_name: str = "rows"
    # More yardsticks between bare and real, measured with them: {name: path}.
    between: dict[str, str] = field(default_factory=dict)
    login_role: str = ""  # when the API needs a JWT
    cached_page: str = ""
    uncached_page: str = ""
    curve: bool = False
    workers: bool = False
    notes: list[str] = field(default_factory=list)


PLANS = {
    "shop": Plan(
        project="shop",
        api="/api/v1/products/",
        bare="/bench/bare/products/",
        n1="/bench/n1/products/",
        cost="/bench/cost/products/",
        cursor="/bench/cursor/products/",
        small_seed=("--bulk", "1000"),
        big_seed=("--bulk", "100000"),
        small_rows=1000,
        big_rows=100000,
        rows_name="products",
        cached_page="/products/",
        uncached_page="/bench/uncached/products/",
        curve=True,
        workers=True,
    ),
    "hospital": Plan(
        project="hospital",
        api="/api/v1/appointments/",
        bare="/bench/bare/appointments/",
        n1="/bench/n1/appointments/",
        cost="/bench/cost/appointments/",
        cursor="/bench/cursor/appointments/",
        # seed_demo --bulk N: N patients and N past appointments.
        small_seed=("--bulk", "1000"),
        big_seed=("--bulk", "100000"),
        small_rows=1000,
        big_rows=100000,
        rows_name="appointments",
        between={"bare + JWT auth + access rule": "/bench/bare-access/appointments/"},
        login_role="receptionist",
    ),
    "lms": Plan(
        project="lms",
        api="/api/v1/courses/",  # the public catalogue, as a visitor reads it
        bare="/bench/bare/courses/",
        n1="/bench/n1/courses/",
        cost="/bench/cost/courses/",
        cursor="/bench/cursor/courses/",
        # seed_demo --bulk N: N generated published courses (one module, three lessons).
        small_seed=("--bulk", "1000"),
        big_seed=("--bulk", "10000"),
        small_rows=1000,
        big_rows=10000,
        rows_name="courses",
    ),
}


def averaged(label: str, runs: list[Result]) -> dict:
    return {
        "label": label,
        "users": runs[0].users,
        "rps": round(statistics.mean(r.rps for r in runs), 1),
        "p50": round(statistics.mean(r.p50 for r in runs)),
        "p95": round(statistics.mean(r.p95 for r in runs)),
        "p99": round(statistics.mean(r.p99 for r in runs)),
        "failures": sum(r.failures for r in runs),
        "runs": [r.rps for r in runs],
    }


def compare(url: str, variants: dict[str, str], *, token: str = "", users: int = USERS) -> dict:
    """Measure each variant twice, interleaved; return their averages by name."""
    runs: dict[str, list[Result]] = {name: [] for name in variants}
    for _ in range(2):
        for name, path in variants.items():
            runs[name].append(measure(url, path, label=name, users=users, seconds=SECONDS,
                                      token=token))  # fmt: skip
    return {name: averaged(name, results) for name, results in runs.items()}


def check_same_rows(url: str, plan: Plan, token: str) -> None:
    """The bare view must return what the endpoint returns, or the ratio means nothing."""
    _, _, real = fetch(url, plan.api, token=token)
    _, _, bare = fetch(url, plan.bare, token=token)
    real_ids = [row["id"] for row in real["results"]]
    bare_ids = [row["id"] for row in bare["results"]]
    if real_ids != bare_ids or real["count"] != bare["count"]:
        raise SystemExit(f"bare view differs from {plan.api}: {real_ids} vs {bare_ids}")


def data_costs(url: str, plan: Plan, token: str, rows: int) -> dict:
    """Page 1 and the last page of the endpoint, plus the database time of each part."""
    _, _, first = fetch(url, plan.api, token=token)
    last_page = max((first["count"] + 19) // 20, 1)
    deep = f"{plan.api}?page={last_page}"
    cursor_first, cursor_deep = (cursor_path(url, plan, token, n) for n in (1, last_page))
    same_rows(url, deep, cursor_deep, token)
    results = compare(
        url, {"page 1": plan.api, f"last page ({last_page})": deep, "bare page 1": plan.bare,
              "cursor page 1": cursor_first, f"cursor last page ({last_page})": cursor_deep},
        token=token,
    )  # fmt: skip
    timings = {}
    for name, page in (("page 1", 1), ("last page", last_page)):
        samples = [fetch(url, f"{plan.cost}?page={page}", token=token)[2] for _ in range(5)]
        timings[name] = {
            "count_ms": round(statistics.median(s["count_ms"] for s in samples), 2),
            "page_ms": round(statistics.median(s["page_ms"] for s in samples), 2),
        }
    return {"rows": first["count"], "seeded_rows": rows, "last_page": last_page,
            "results": results, "db": timings}  # fmt: skip


def cursor_path(url: str, plan: Plan, token: str, page: int) -> str:
    """The ``?cursor=`` path of page ``page``, made by the server (the cursor is signed)."""
    return fetch(url, f"{plan.cursor}?page={page}", token=token)[2]["path"]


def same_rows(url: str, numbered: str, by_cursor: str, token: str) -> None:
    """A keyset page must hold the rows of the page number it stands for."""
    ids = [[row["id"] for row in fetch(url, p, token=token)[2]["results"]]
           for p in (numbered, by_cursor)]  # fmt: skip
    if ids[0] != ids[1]:
        raise SystemExit(f"{by_cursor} differs from {numbered}: {ids[1]} vs {ids[0]}")


DEEP_POINTS = (0, 0.25, 0.5, 0.75, 1)  # where the deep-page curve samples, of the last page


def deep_curve(url: str, plan: Plan, token: str, last_page: int) -> list[dict]:
    """Requests per second at pages spread from the first to the last, by offset and cursor."""
    points = []
    for fraction in DEEP_POINTS:
        page = max(round(last_page * fraction), 1)
        offset = measure(url, f"{plan.api}?page={page}", label=f"page {page}", users=USERS,
                         seconds=3, token=token)  # fmt: skip
        cursor = measure(url, cursor_path(url, plan, token, page), label=f"cursor {page}",
                         users=USERS, seconds=3, token=token)  # fmt: skip
        points.append({"page": page, "offset_rps": offset.rps, "cursor_rps": cursor.rps,
                       "offset_p95": offset.p95, "cursor_p95": cursor.p95})  # fmt: skip
    return points


def api_token(stack, plan: Plan) -> str:
    """A JWT for endpoints that need one (each stack signs with its own SECRET_KEY)."""
    if not plan.login_role:
        return ""
    login = next(x for x in stack.logins if x["role"] == plan.login_role)
    return token_for(stack.url, login["email"], login["password"])


def bench_stack(plan: Plan, *, workers: int | None = None, threads: int | None = None):
    """Another stack on the data the first one seeded (no new seed, no Celery)."""
    return loadtest_stack(
        plan.project,
        port=BENCH_PORT,
        fresh=False,
        seed=False,
        celery=False,
        purpose="bench",
        workers=workers,
        threads=threads,
        extra_env=BENCH_ENV,
    )


SYNC = ("sync, 2 workers", 2, 1)
THREADED = ("gthread, 2 workers x 4 threads", 2, 4)  # deploy/gunicorn.conf.py's default


def measure_workers(plan: Plan, stack, label: str) -> dict:
    """A mixed load (the list API and the catalog page, in turn), 16 users in flight."""
    paths = [plan.api, plan.cached_page] if plan.cached_page else [plan.api]
    token = api_token(stack, plan)
    measure(stack.url, paths, label="warm-up", users=4, seconds=3, token=token)
    runs = [
        measure(stack.url, paths, label=label, users=16, seconds=SECONDS, token=token)
        for _ in range(2)
    ]
    return averaged(label, runs)


def bench_project(plan: Plan) -> dict:
    out: dict = {"project": plan.project, "api": plan.api, "rows_name": plan.rows_name,
                 "machine": report.machine()}  # fmt: skip
    print(f"=== bench {plan.project}", flush=True)
    started = time.monotonic()
    with loadtest_stack(
        plan.project,
        port=BENCH_PORT,
        seed_args=plan.small_seed,
        post_seed=plan.small_shell,
        celery=False,
        purpose="bench",
        extra_env=BENCH_ENV,
    ) as stack:
        url = stack.url
        out["stack"] = stack.description
        token = api_token(stack, plan)
        check_same_rows(url, plan, token)
        # Warm up: connection pools, imports done lazily, caches filled.
        for path in (plan.api, plan.bare, plan.n1, plan.cached_page):
            if path:
                measure(url, path, label=f"warm-up {path}", users=4, seconds=3, token=token)

        print("-- (a) real vs bare, (b) N+1", flush=True)
        out["endpoint"] = compare(
            url,
            {"real": plan.api, "bare": plan.bare, **plan.between, "n+1": plan.n1},
            token=token,
        )
        out["queries"] = {
            name: query_count(url, path, token=token)
            for name, path in (
                ("real", plan.api), ("bare", plan.bare), *plan.between.items(), ("n+1", plan.n1)
            )
        }  # fmt: skip
        if plan.cached_page:
            print("-- (c) cached vs uncached page", flush=True)
            out["cache"] = compare(
                url, {"cached": plan.cached_page, "uncached": plan.uncached_page}, token=token
            )
            out["cache_queries"] = {
                "cached": query_count(url, plan.cached_page),
                "uncached": query_count(url, plan.uncached_page),
            }
        if plan.curve:
            print("-- (e) users curve", flush=True)
            out["curve"] = [
                measure(url, plan.api, label=f"{n} users", users=n, seconds=5, token=token)
                .as_dict()
                for n in CURVE_USERS
            ]  # fmt: skip
        print(f"-- (f) data size: {plan.small_rows} rows", flush=True)
        out["small"] = data_costs(url, plan, token, plan.small_rows)

    # (d) on the small data, so that the web tier's CPU, not COUNT(*), decides. The
    # threaded stack (the deploy default) then goes on to grow the data for (f).
    if plan.workers:
        print("-- (d) gunicorn sync vs threaded workers", flush=True)
        with bench_stack(plan, workers=SYNC[1], threads=SYNC[2]) as stack:
            out["workers"] = {SYNC[0]: measure_workers(plan, stack, SYNC[0])}
    with bench_stack(plan, workers=THREADED[1], threads=THREADED[2]) as stack:
        if plan.workers:
            out["workers"][THREADED[0]] = measure_workers(plan, stack, THREADED[0])
        token = api_token(stack, plan)
        print(f"-- (f) seeding to {plan.big_rows} rows", flush=True)
        seeded = time.monotonic()
        if plan.big_shell:
            stack.stack.manage("shell", "-c", plan.big_shell)
        else:
            stack.stack.manage("seed_demo", *plan.big_seed)
        out["big_seed_seconds"] = round(time.monotonic() - seeded, 1)
        out["big"] = data_costs(stack.url, plan, token, plan.big_rows)
        print("-- (j) deep pages: offset against cursor", flush=True)
        out["big"]["deep_curve"] = deep_curve(stack.url, plan, token, out["big"]["last_page"])
    out["seconds"] = round(time.monotonic() - started)
    return out


def main(argv: list[str]) -> int:
    unknown = [p for p in argv if p not in PLANS]
    if unknown:  # "--help" too: a typo must not rewrite the report from old data
        print(f"usage: python -m loadtests.bench [{' '.join(PLANS)}]; unknown: {' '.join(unknown)}")
        return 2
    projects = argv or list(PLANS)
    data = json.loads(DATA_FILE.read_text()) if DATA_FILE.exists() else {}
    data["machine"] = report.machine()
    for project in projects:
        data[project] = bench_project(PLANS[project])
        DATA_FILE.write_text(json.dumps(data, indent=2) + "\n")
    from loadtests.performance_doc import write_doc

    write_doc(data)
    print(f"wrote {DATA_FILE.relative_to(REPO)} and docs/performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
