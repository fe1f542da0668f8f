"""Measure gunicorn's worker and thread settings on this machine, to choose the defaults of
deploy/gunicorn.conf.py. `make gunicorn-bench P=shop` (the figures go into docs/deploy.md).

For each setting it starts the capstone in production shape without nginx
(deploy/native_stack.py, no Celery: only the web tier is measured), warms it up, then
sends a fixed load with wrk (a C load generator: the client costs little CPU next to the
server) to one list endpoint, and reports throughput, latency percentiles, errors and the
memory of all gunicorn processes together.

    python deploy/bench_gunicorn.py shop [--path /api/v1/products/] [--seconds 15]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from native_stack import native_stack

# (name, workers, threads): sync workers at 1x, 2x and 2x+1 the cores, then gthread.
SETTINGS = [
    ("sync 2x1", 2, 1),
    ("sync 4x1", 4, 1),
    ("sync 5x1", 5, 1),
    ("gthread 2x4", 2, 4),
    ("gthread 3x4", 3, 4),
    ("gthread 2x8", 2, 8),
]
# A public, database-backed list endpoint per capstone.
LIST_PATHS = {"shop": "/api/v1/products/"}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its children, in MB (from /proc)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, AttributeError):
            continue
        pending.extend(int(child) for child in children)
    return total / 1024


def wrk(url: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50%"),
        "p90": ms("90%"),
        "p99": ms("99%"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", nargs="?", default="shop")
    parser.add_argument("--path", help="the endpoint to load (default: the project's list API)")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8170)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 1
    path = args.path or LIST_PATHS.get(args.project, "/healthz")

    rows = []
    for name, workers, threads in SETTINGS:
        with native_stack(
            args.project,
            port=args.port,
            workers=workers,
            threads=threads,
            celery=False,
            # The anonymous API throttle would answer 429 long before the server is busy.
            extra_env={"THROTTLE_ANON": "1000000/minute", "LOG_LEVEL": "WARNING"},
        ) as stack:
            url = stack.base_url + path
            for _ in range(20):  # warm up every worker: imports, connections, caches
                urllib.request.urlopen(url).read()  # noqa: S310 (our own loopback URL)
            wrk(url, args.connections, 3)
            result = wrk(url, args.connections, args.seconds)
            result["rss"] = rss_mb(stack.processes["web"].pid)
            if result["errors"]:
                # Say what the errors were: a run with errors measures the errors.
                log = stack.log("web").read_text(errors="replace")
                statuses = re.findall(r" status=(\d+) ", log)
                print(f"  statuses in the access log: {sorted(Counter(statuses).items())}")
                errors = [line for line in log.splitlines() if "Error" in line]
                print("  " + "\n  ".join(errors[-5:]))
            rows.append((name, result))
            print(
                f"{name:<12} {result['rps']:7.1f} req/s  p50 {result['p50']:6.1f} ms  "
                f"p90 {result['p90']:6.1f} ms  p99 {result['p99']:6.1f} ms  "
                f"errors {result['errors']}  {result['socket_errors']}  RSS {result['rss']:.0f} MB",
                flush=True,
            )
        time.sleep(2)

    print(f"\n{args.project} {path}, {args.connections} connections, {args.seconds} s each:\n")
    print("| setting | req/s | p50 ms | p90 ms | p99 ms | non-2xx | memory (all workers) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.0f} | {r['p90']:.0f} | {r['p99']:.0f} "
            f"| {r['errors']} | {r['rss']:.0f} MB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
