"""The load-test runner behind ``make loadtest``, ``make loadtest-ui`` and ``make loadtest-smoke``.

It starts the capstone in its production shape on loopback (``deploy/native_stack.py``:
PostgreSQL, migrations, static files, the demo seed, gunicorn with the deploy
configuration, a Celery worker and beat, DEBUG off), adds the accounts the journeys
need, runs locust, and writes the report under ``loadtests/reports/<project>-<time>/``.

    python -m loadtests.run loadtest shop --users 50 --spawn-rate 5 --duration 3m
    python -m loadtests.run ui hospital          # locust's web UI on http://127.0.0.1:8189
    python -m loadtests.run smoke shop hospital  # CI: every journey step, no failure
"""

import argparse
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from loadtests import report
from loadtests.projects import PROFILES
from loadtests.stack import loadtest_stack

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / "loadtests" / "reports"
LOCUST = Path(sys.executable).with_name("locust")
APP_PORT = 8180  # this harness's servers use 8180-8199
UI_PORT = 8189


def locustfile(project: str) -> Path:
    return REPO / "loadtests" / project / "locustfile.py"


def locust_env(stack, *, think_scale: float, limits: dict, smoke: bool = False) -> dict:
    """What the journeys read from the environment (see loadtests/common/journey.py)."""
    env = dict(os.environ)
    env.update(
        LOADTEST_LOGINS=json.dumps(stack.logins),
        LOADTEST_THINK_SCALE=str(think_scale),
        LOADTEST_MAX_FAILURE_RATIO=str(limits["max_failure_ratio"]),
        LOADTEST_MAX_P95_MS=str(limits["max_p95_ms"]),
        PYTHONPATH=str(REPO),
    )
    if smoke:
        env["LOADTEST_EQUAL_WEIGHTS"] = "1"
    return env


def run_locust(
    project: str,
    stack,
    *,
    users: int,
    spawn_rate: float,
    duration: str,
    out: Path,
    think_scale: float,
    limits: dict,
    smoke: bool,
) -> int:
    out.mkdir(parents=True, exist_ok=True)
    command = [
        str(LOCUST),
        "-f",
        str(locustfile(project)),
        "--headless",
        "--host",
        stack.url,
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        duration,
        "--stop-timeout",
        "10",
        "--csv",
        str(out / "run"),
        "--csv-full-history",
        "--html",
        str(out / "report.html"),
        "--only-summary",
        # The limits hook decides pass/fail; a single failed request alone does not.
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
    ]
    if not smoke:
        # Judge the steady state: the ramp-up is a burst of logins (Argon2 hashing is slow
        # on purpose) that queues everything behind it. report.html still charts it.
        command.append("--reset-stats")
    print(
        f"$ locust -f {locustfile(project).relative_to(REPO)} --users {users} "
        f"--spawn-rate {spawn_rate} --run-time {duration} --host {stack.url}",
        flush=True,
    )
    env = locust_env(stack, think_scale=think_scale, limits=limits, smoke=smoke)
    return subprocess.run(command, env=env, check=False).returncode


def evaluate(project: str, out: Path, *, limits: dict, require_steps: bool) -> list[str]:
    """Why the run failed (empty when it passed), from the CSV locust wrote."""
    rows = report.read_stats(out / "run")
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests, failed = int(total["Request Count"]), int(total["Failure Count"])
    verdict = []
    if requests == 0:
        verdict.append("no request was made")
    elif failed / requests > limits["max_failure_ratio"]:
        verdict.append(f"failure ratio {failed / requests:.2%} > {limits['max_failure_ratio']:.2%}")
    p95 = float(total["95%"]) if total["95%"] not in ("", "N/A") else 0.0
    if limits["max_p95_ms"] is not None and p95 > limits["max_p95_ms"]:
        verdict.append(f"p95 {p95:.0f} ms > {limits['max_p95_ms']} ms")
    if require_steps:
        missing = report.missing_steps(rows, report.journey_steps(locustfile(project)))
        if missing:
            verdict.append("steps never reached: " + ", ".join(missing))
    return verdict


def run_and_report(
    project: str,
    *,
    users: int,
    spawn_rate: float,
    duration: str,
    smoke: bool,
) -> int:
    profile = PROFILES[project]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = REPORTS / f"{project}-{'smoke-' if smoke else ''}{stamp}"
    out.mkdir(parents=True, exist_ok=True)
    info = report.machine()
    if smoke:
        # The smoke run proves the harness and the journeys; it times nothing.
        limits = {"max_failure_ratio": 0.0, "max_p95_ms": None}
        think_scale = 0.05
    else:
        limits = {"max_failure_ratio": profile.max_failure_ratio, "max_p95_ms": profile.max_p95_ms}
        think_scale = 1.0
    accounts = {role: max(count, users) for role, count in profile.extra_accounts.items()}
    with loadtest_stack(
        project,
        port=APP_PORT,
        seed_args=profile.seed_args,
        post_seed=profile.post_seed,
        accounts=accounts,
        log_path=out / "server.log",
        extra_env=profile.server_env,
    ) as stack:
        if profile.stats_command:
            stack.stack.manage(*profile.stats_command.split(), "--reset")
        code = run_locust(
            project,
            stack,
            users=users,
            spawn_rate=spawn_rate,
            duration=duration,
            out=out,
            think_scale=think_scale,
            limits={**limits, "max_p95_ms": limits["max_p95_ms"] or 10**9},
            smoke=smoke,
        )
        server_stats = (
            json.loads(stack.stack.manage(*profile.stats_command.split()))
            if profile.stats_command
            else {}
        )
    verdict = evaluate(project, out, limits=limits, require_steps=smoke)
    if code not in (0, 1):
        verdict.append(f"locust exited with {code}")
    settings = {
        "users": users,
        "spawn rate": f"{spawn_rate}/s",
        "duration": duration,
        "think-time scale": think_scale,
        "statistics": "the whole run" if smoke else "reset once every user had spawned",
        "stack": stack.description,
        **{f"server: {name}": value for name, value in server_stats.items()},
    }
    report.write_summary(
        out / "summary.md",
        project=project,
        info=info,
        settings=settings,
        rows=report.read_stats(out / "run"),
        failures=report.read_failures(out / "run"),
        limits={
            **limits,
            "max_p95_ms": f"{limits['max_p95_ms']} ms" if limits["max_p95_ms"] else "none: smoke",
        },
        verdict=verdict,
    )
    print((out / "summary.md").read_text())
    print(f"Report: {out.relative_to(REPO)}/report.html")
    return 1 if verdict or code == 1 else 0


def run_ui(project: str) -> int:
    profile = PROFILES[project]
    REPORTS.mkdir(parents=True, exist_ok=True)
    with loadtest_stack(
        project,
        port=APP_PORT,
        seed_args=profile.seed_args,
        post_seed=profile.post_seed,
        accounts={role: max(count, 100) for role, count in profile.extra_accounts.items()},
        log_path=REPORTS / f"{project}-ui-server.log",
    ) as stack:
        limits = {"max_failure_ratio": profile.max_failure_ratio, "max_p95_ms": profile.max_p95_ms}
        env = locust_env(stack, think_scale=1.0, limits=limits)
        command = [
            str(LOCUST),
            "-f",
            str(locustfile(project)),
            "--host",
            stack.url,
            "--web-host",
            "127.0.0.1",
            "--web-port",
            str(UI_PORT),
        ]
        print(f"locust web UI: http://127.0.0.1:{UI_PORT}  (Ctrl-C stops it and the stack)")
        try:
            return subprocess.run(command, env=env, check=False).returncode
        except KeyboardInterrupt:
            return 0


def _interrupt(signum, frame):
    # `kill <pid>` stops a run like Ctrl-C does: the stack is torn down, nothing is orphaned.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    parser = argparse.ArgumentParser(prog="python -m loadtests.run", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    load = sub.add_parser("loadtest", help="a headless load test with report and limits")
    load.add_argument("project", choices=sorted(PROFILES))
    load.add_argument("--users", type=int)
    load.add_argument("--spawn-rate", type=float)
    load.add_argument("--duration")
    ui = sub.add_parser("ui", help="locust's web UI against the production-shape stack")
    ui.add_argument("project", choices=sorted(PROFILES))
    smoke = sub.add_parser("smoke", help="a few users for a few seconds per project (CI)")
    smoke.add_argument("projects", nargs="+")
    args = parser.parse_args(argv)

    if args.command == "ui":
        return run_ui(args.project)
    if args.command == "loadtest":
        profile = PROFILES[args.project]
        return run_and_report(
            args.project,
            users=args.users or profile.users,
            spawn_rate=args.spawn_rate or profile.spawn_rate,
            duration=args.duration or profile.duration,
            smoke=False,
        )
    failed = []
    for project in args.projects:
        if project not in PROFILES or not locustfile(project).exists():
            print(f"== {project}: no load-test journeys yet, skipped")
            continue
        profile = PROFILES[project]
        print(f"== smoke: {project}", flush=True)
        code = run_and_report(
            project,
            users=profile.smoke_users,
            spawn_rate=profile.smoke_users,
            duration=profile.smoke_duration,
            smoke=True,
        )
        if code:
            failed.append(project)
    if failed:
        print("smoke failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
