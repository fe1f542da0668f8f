"""``make profile P=shop``: where one list request spends its time, under load.

    python -m loadtests.profile shop hospital lms

The bench stack (gunicorn, PostgreSQL, Redis, DEBUG off) serves the project's main list
endpoint to 8 locust users while py-spy, a sampling profiler, reads the Python stacks of
every gunicorn worker 200 times a second without stopping them. Two outputs per project:

* ``docs/performance-flame-<project>.svg``: the flame graph. Each box is a function; its
  width is the share of samples in which it was on the stack. Read it bottom-up: the
  request comes in at the bottom and the leaves on top are where the CPU actually was.
* the per-layer table in docs/performance.md: every sample taken inside a request is
  given to the innermost DRF or Django layer on its stack (authentication, throttles,
  permission and visibility rule, filter backends, paginator, serializer, renderer, SQL),
  so the shares add up to 100% of the request time.

py-spy needs ptrace rights: root, or ``kernel.yama.ptrace_scope=0``.
"""

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from loadtests.bench import BENCH_ENV, DATA_FILE, DOCS, PLANS, api_token
from loadtests.measure import measure
from loadtests.stack import loadtest_stack

PY_SPY = Path(sys.executable).with_name("py-spy")
PORT = 8184
SECONDS = 20
RATE = 200

# (layer, how a frame of it is recognised): a frame is "function (path:line)" in py-spy's
# raw output. The first layer met walking from the leaf towards the root takes the sample,
# so a query run by the paginator counts as SQL, not as paginator.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "SQL (psycopg and Django's database backend)",
        ("django/db/backends/", "psycopg/", "psycopg_pool/"),
    ),
    ("ORM (building queries, making model instances)", ("django/db/models/",)),
    ("serializer", ("rest_framework/serializers.py", "rest_framework/fields.py", "/api.py")),
    ("renderer (JSON)", ("rest_framework/renderers.py", "json/encoder.py")),
    ("paginator", ("rest_framework/pagination.py", "django/core/paginator.py")),
    ("filter backends", ("rest_framework/filters.py", "django_filters/")),
    ("permission and visibility rule", ("check_permissions", "rules/", "visible_to")),
    ("throttles", ("rest_framework/throttling.py", "check_throttles")),
    ("authentication (JWT)", ("rest_framework_simplejwt/", "perform_authentication")),
    ("cache (Redis)", ("django/core/cache/", "redis/")),
    ("DRF view and request wrapping", ("rest_framework/",)),
    ("middleware and Django's handler", ("django/",)),
]
# A sample is inside a request when Django's handler is on its stack.
IN_REQUEST = "get_response"


def layer_of(frames: list[str]) -> str:
    for frame in reversed(frames):  # leaf first
        for layer, marks in LAYERS:
            if any(mark in frame for mark in marks):
                return layer
    return "other Python (gunicorn, app code)"


def layer_shares(raw: str) -> dict[str, float]:
    """Share of in-request samples per layer, from py-spy's ``--format raw`` output."""
    counts: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        frames = stack.split(";")
        if not any(IN_REQUEST in f for f in frames):
            continue  # a worker waiting for the next request
        counts[layer_of(frames)] += int(number)
    total = sum(counts.values()) or 1
    return {layer: round(n / total, 3) for layer, n in counts.most_common()}


def record(master: int, out: Path, fmt: str) -> subprocess.Popen:
    """py-spy on gunicorn's master; ``--subprocesses`` follows every worker it forked."""
    args = [str(PY_SPY), "record", "--pid", str(master), "--subprocesses", "--nonblocking",
            "--rate", str(RATE), "--duration", str(SECONDS), "--format", fmt,
            "--output", str(out)]  # fmt: skip
    return subprocess.Popen(args, stdout=subprocess.DEVNULL)


def profile_project(project: str) -> dict:
    plan = PLANS[project]
    with loadtest_stack(
        project,
        port=PORT,
        seed_args=plan.small_seed,
        celery=False,
        purpose="profile",
        extra_env=BENCH_ENV,
    ) as stack:
        token = api_token(stack, plan)
        measure(stack.url, plan.api, label="warm-up", users=4, seconds=4, token=token)
        master = stack.stack.processes["web"].pid
        with tempfile.TemporaryDirectory() as tmp:
            raw_file = Path(tmp) / "stacks.txt"
            svg = DOCS / f"performance-flame-{project}.svg"
            spies = [record(master, raw_file, "raw"), record(master, svg, "flamegraph")]
            time.sleep(1)  # py-spy attaches
            load = measure(
                stack.url, plan.api, label="profiled", users=8, seconds=SECONDS - 2, token=token
            )
            for spy in spies:
                spy.wait(timeout=SECONDS + 30)
            shares = layer_shares(raw_file.read_text())
    print(f"{project}: {json.dumps(shares, indent=1)}", flush=True)
    return {
        "endpoint": plan.api,
        "load": load.as_dict(),
        "rate_hz": RATE,
        "layers": shares,
        "flame_graph": svg.name,
    }


def main(argv: list[str]) -> int:
    projects = argv or list(PLANS)
    unknown = [p for p in projects if p not in PLANS]
    if unknown:
        print(f"usage: python -m loadtests.profile [{' '.join(PLANS)}]; unknown: {unknown}")
        return 2
    data = json.loads(DATA_FILE.read_text()) if DATA_FILE.exists() else {}
    for project in projects:
        data.setdefault(project, {})["profile"] = profile_project(project)
        DATA_FILE.write_text(json.dumps(data, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
