"""``make bench-servers P=shop``: one list endpoint under three kinds of server.

    python -m loadtests.servers shop

* gunicorn with **sync** workers (2 processes, one request at a time each);
* gunicorn with **threaded** workers (2 x 4 threads: ``deploy/gunicorn.conf.py``, the
  deployment's choice);
* **uvicorn** (ASGI) with 2 worker processes serving ``config.asgi``.

The same data, 8 users (as in docs/performance.md, a), each server measured twice in
turn. The views are synchronous Django views, as in every capstone: under ASGI, Django
runs each in a worker thread (``sync_to_async``), one at a time per process for the ORM's
sake, so ASGI buys nothing for them; it pays for WebSockets and ``async def`` views that
wait on other services (lms serves its live classroom that way, beside gunicorn).
The figures go into docs/performance-data.json under "<project>.servers".
"""

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from loadtests.bench import (
    BENCH_ENV,
    DATA_FILE,
    PLANS,
    SECONDS,
    SYNC,
    THREADED,
    api_token,
    averaged,
    bench_stack,
)
from loadtests.measure import measure
from loadtests.stack import loadtest_stack

UVICORN = Path(sys.executable).with_name("uvicorn")
ASGI_PORT = 8185
ASGI = "uvicorn (ASGI), 2 workers"


def start_uvicorn(stack) -> subprocess.Popen:
    env = {**stack.stack.env, **BENCH_ENV}
    proc = subprocess.Popen(
        [str(UVICORN), "config.asgi:application", "--host", "127.0.0.1", "--port",
         str(ASGI_PORT), "--workers", "2", "--lifespan", "off", "--no-access-log"],
        cwd=Path(__file__).resolve().parent.parent / stack.stack.project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{ASGI_PORT}/healthz", timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("uvicorn did not answer on /healthz")


def bench_servers(project: str) -> dict:
    plan = PLANS[project]
    results: dict[str, list] = {SYNC[0]: [], THREADED[0]: [], ASGI: []}
    # A fresh database with the small data, seeded once; the next stacks reuse it.
    with loadtest_stack(project, port=8181, seed_args=plan.small_seed, celery=False,
                        purpose="bench", extra_env=BENCH_ENV):  # fmt: skip
        pass
    with bench_stack(plan, workers=SYNC[1], threads=SYNC[2]) as stack:
        token = api_token(stack, plan)
        measure(stack.url, plan.api, label="warm-up", users=4, seconds=3, token=token)
        for _ in range(2):
            results[SYNC[0]].append(
                measure(stack.url, plan.api, label=SYNC[0], seconds=SECONDS, token=token)
            )
    with bench_stack(plan, workers=THREADED[1], threads=THREADED[2]) as stack:
        token = api_token(stack, plan)
        uvicorn = start_uvicorn(stack)
        asgi_url = f"http://127.0.0.1:{ASGI_PORT}"
        try:
            for url in (stack.url, asgi_url):
                measure(url, plan.api, label="warm-up", users=4, seconds=3, token=token)
            for _ in range(2):
                for label, url in ((THREADED[0], stack.url), (ASGI, asgi_url)):
                    results[label].append(
                        measure(url, plan.api, label=label, seconds=SECONDS, token=token)
                    )
        finally:
            uvicorn.terminate()
            uvicorn.wait(timeout=15)
    return {label: averaged(label, runs) for label, runs in results.items()}


def main(argv: list[str]) -> int:
    projects = argv or ["shop"]
    unknown = [p for p in projects if p not in PLANS]
    if unknown:
        print(f"usage: python -m loadtests.servers [{' '.join(PLANS)}]; unknown: {unknown}")
        return 2
    data = json.loads(DATA_FILE.read_text()) if DATA_FILE.exists() else {}
    for project in projects:
        data.setdefault(project, {})["servers"] = figures = bench_servers(project)
        DATA_FILE.write_text(json.dumps(data, indent=2) + "\n")
        print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
