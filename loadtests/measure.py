"""One bench measurement: N users hammer one URL for a few seconds; read locust's CSV."""

import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCUST = Path(sys.executable).with_name("locust")
BENCH_LOCUSTFILE = REPO / "loadtests" / "bench_locustfile.py"


@dataclass
class Result:
    label: str
    users: int
    seconds: int
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(times: dict[int, int], fraction: float) -> float:
    """The response time (ms) under which ``fraction`` of the requests fell.

    locust stores response times rounded into buckets: {milliseconds: how many}.
    """
    total = sum(times.values())
    if not total:
        return 0.0
    seen = 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= fraction * total:
            return float(ms)
    return float(max(times))


def measure(
    base_url: str,
    paths: list[str] | str,
    *,
    label: str,
    users: int = 8,
    seconds: int = 8,
    token: str = "",
) -> Result:
    """Requests per second and latency percentiles of ``paths`` under ``users`` clients."""
    paths = [paths] if isinstance(paths, str) else paths
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "BENCH_PATH": " ".join(paths),
            "BENCH_TOKEN": token,
            "PYTHONPATH": str(REPO),
        }
        command = [
            str(LOCUST),
            "-f",
            str(BENCH_LOCUSTFILE),
            "--headless",
            "--host",
            base_url,
            "--users",
            str(users),
            # All users at once: the measurement is about the steady state, not the ramp.
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            # The final statistics (the CSV files are written periodically and can lag).
            "--json-file",
            f"{tmp}/bench",
            "--only-summary",
            "--exit-code-on-error",
            "0",
            "--loglevel",
            "ERROR",
        ]
        subprocess.run(
            command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        entries = json.loads(Path(f"{tmp}/bench.json").read_text())
    stats = entries[0] if entries else {}
    requests = stats.get("num_requests", 0)
    elapsed = stats.get("last_request_timestamp", 0) - stats.get("start_time", 0)
    # With very few (slow) requests the first-to-last span says nothing: use the run time.
    elapsed = elapsed if elapsed > seconds / 2 else seconds
    times = {int(ms): count for ms, count in stats.get("response_times", {}).items()}
    result = Result(
        label=label,
        users=users,
        seconds=seconds,
        requests=requests,
        failures=stats.get("num_failures", 0),
        rps=round(requests / elapsed, 1) if elapsed > 0 else 0.0,
        p50=percentile(times, 0.50),
        p95=percentile(times, 0.95),
        p99=percentile(times, 0.99),
    )
    print(
        f"  {label:<38} {users:>3} users  {result.rps:>7.1f} req/s  p50 {result.p50:>5.0f} ms  "
        f"p95 {result.p95:>5.0f} ms  failures {result.failures}",
        flush=True,
    )
    return result


def fetch(base_url: str, path: str, *, token: str = "", count_queries: bool = False):
    """One GET: (status, headers, parsed JSON or None). Used for query counts and checks."""
    request = urllib.request.Request(base_url + path, headers={"Accept": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if count_queries:
        request.add_header("X-Count-Queries", "1")
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        return response.status, dict(response.headers), data


def query_count(base_url: str, path: str, *, token: str = "") -> int:
    """How many SQL queries one request to ``path`` ran (header set by the bench middleware)."""
    _, headers, _ = fetch(base_url, path, token=token, count_queries=True)
    return int(headers.get("X-Query-Count", "-1"))


def token_for(base_url: str, email: str, password: str) -> str:
    request = urllib.request.Request(
        base_url + "/api/v1/auth/token/",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["access"]
