"""Run the test suites of the shared package and of each capstone, one pytest per project.

Each capstone is its own Django project (its own settings and top-level apps), so
each suite runs in its own process, from the project's folder. In services mode
every project gets its own PostgreSQL database and Redis database number.

    python -m shared.testing.runner [--services] [--coverage] shared shop ... [-- pytest args]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from shared.testing.plugin import (
    LEFT_OUT_FILE_ENV,
    RUNS_THEM,
    SUITE_NAME_ENV,
)

ROOT = Path(__file__).resolve().parents[2]
# One Redis database per project, so that parallel runs never share a queue or a cache.
REDIS_DB = {"shared": 0, "hospital": 1, "lms": 2, "shop": 3, "crm": 4, "saas": 5}
COVERAGE_MIN = 90
SUMMARY = re.compile(r"(\d+) (passed|failed|errors?|deselected|skipped)")
CLOSING_LINE = re.compile(r"\d+ (passed|failed|errors?)\b.* in [\d.]+s")
# The closing summary's words for the tests each marker leaves out (shared.testing.plugin).
LEFT_OUT_REASONS = {
    "postgres": "need PostgreSQL",
    "worker": "need Redis and a live Celery worker",
    "browser": "need Chromium",
    "curl": "need curl",
    "exercise": "are exercises, failing until solved",
}


def project_env(name: str, services: bool) -> dict[str, str]:
    env = dict(os.environ)
    if services:
        pg = env.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
        redis = env.get("REDIS_BASE", "redis://127.0.0.1:6379")
        # Two checkouts testing at once on one machine give each its own databases.
        prefix = env.get("CAPSTONE_DB_PREFIX", "capstone_")
        env.update(
            DJANGO_MODE="services",
            DATABASE_URL=f"{pg}/{prefix}{name}",
            REDIS_URL=f"{redis}/{REDIS_DB[name]}",
        )
    else:
        env["DJANGO_MODE"] = "embedded"
        for var in ("DATABASE_URL", "REDIS_URL"):
            env.pop(var, None)
    return env


def parse_summary(line: str) -> dict[str, int]:
    """Counts from pytest's closing line (``=== 3 passed, 1 failed in 1.2s ===``)."""
    counts: dict[str, int] = {}
    for number, word in SUMMARY.findall(line):
        key = "errors" if word.startswith("error") else word
        counts[key] = counts.get(key, 0) + int(number)
    return counts


def suite_command(name: str, coverage: bool, extra: list[str]) -> list[str]:
    if not coverage:
        return [sys.executable, "-m", "pytest", *extra]
    # `coverage run` starts measuring before pytest imports anything, so modules that
    # load early (our pytest plugin, settings) are measured too; pytest-cov starts later.
    source = ROOT / "shared" if name == "shared" else ROOT / name
    return [
        sys.executable,
        "-m",
        "coverage",
        "run",
        f"--rcfile={ROOT / 'pyproject.toml'}",
        f"--source={source}",
        "-m",
        "pytest",
        *extra,
    ]


def coverage_report(name: str) -> int:
    """Print the coverage table of the suite just run; non-zero when under the minimum."""
    return subprocess.call(
        [
            sys.executable,
            "-m",
            "coverage",
            "report",
            f"--rcfile={ROOT / 'pyproject.toml'}",
            "--skip-covered",
            "--skip-empty",
            f"--fail-under={COVERAGE_MIN}",
        ],
        cwd=ROOT / name,
    )


def run_suite(
    name: str, services: bool, coverage: bool, extra: list[str]
) -> tuple[int, dict[str, int], dict[str, int]]:
    """Run one suite; return its exit code, pytest's counts and the left-out counts per marker."""
    print(f"\n===== {name}: {'services' if services else 'embedded'} mode =====", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        left_out_file = Path(scratch) / "left_out.json"
        env = {**project_env(name, services), SUITE_NAME_ENV: name}
        env[LEFT_OUT_FILE_ENV] = str(left_out_file)
        code, counts = _run_pytest(name, coverage, extra, env)
        left_out = json.loads(left_out_file.read_text()) if left_out_file.exists() else {}
    return code, counts, left_out


def _run_pytest(
    name: str, coverage: bool, extra: list[str], env: dict[str, str]
) -> tuple[int, dict[str, int]]:
    proc = subprocess.Popen(
        suite_command(name, coverage, extra),
        cwd=ROOT / name,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    last_summary = ""
    assert proc.stdout is not None  # Popen(stdout=PIPE) always has one
    for line in proc.stdout:
        sys.stdout.write(line)
        # pytest's closing line, "=== 3 passed, 1 failed in 1.2s ===" (without the "=" under -q).
        if CLOSING_LINE.search(line):
            last_summary = line
    code = proc.wait()
    if coverage and code == 0:
        code = coverage_report(name) and 100  # 100: "tests passed, coverage too low"
    return code, parse_summary(last_summary)


def left_out_lines(left_out: dict[str, int]) -> list[str]:
    """The closing summary's lines on left-out tests: how many per reason, and what runs them."""
    if not left_out.get("total"):
        return []
    lines = [f"{left_out['total']} test(s) left out (one needing two services counts under both):"]
    for marker, why in LEFT_OUT_REASONS.items():
        if left_out.get(marker):
            lines.append(f"  {left_out[marker]:>5} {why:<38} run them with: {RUNS_THEM[marker]}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", action="store_true", help="PostgreSQL + Redis + live worker")
    parser.add_argument(
        "--coverage", action="store_true", help=f"fail a suite under {COVERAGE_MIN}%% coverage"
    )
    parser.add_argument("suites", nargs="*", default=["shared"], choices=list(REDIS_DB))
    # Everything after "--" goes to pytest untouched (argparse would read a path there as
    # one more suite name): `make test PYTEST_ARGS="tests/test_x.py -x"`.
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: len(argv) - len(extra)] if extra else argv)

    totals: dict[str, int] = {}
    left_out: dict[str, int] = {}
    failed = []
    for name in args.suites:
        code, counts, suite_left_out = run_suite(name, args.services, args.coverage, extra)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        for key, value in suite_left_out.items():
            left_out[key] = left_out.get(key, 0) + value
        if code != 0:
            reason = f"coverage under {COVERAGE_MIN}%" if code == 100 else f"pytest exit {code}"
            failed.append(f"{name} ({reason})")
    passed, failures = totals.get("passed", 0), totals.get("failed", 0) + totals.get("errors", 0)
    print("\n===== all suites =====")
    for line in left_out_lines(left_out):
        print(line)
    if failed:
        print("Failed suites: " + ", ".join(failed))
    if passed == 0 and not failed:
        print("No test ran.")
        return 1
    print(f"{passed} passed, {failures} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
