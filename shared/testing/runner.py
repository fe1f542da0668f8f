"""Run the test suites of the shared package and of each capstone, one pytest per project.

Each capstone is its own Django project (its own settings and top-level apps), so
each suite runs in its own process, from the project's folder. In services mode
every project gets its own PostgreSQL database and Redis database number.

    python -m shared.testing.runner [--services] [--coverage] shared shop ... [-- pytest args]
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# One Redis database per project, so that parallel runs never share a queue or a cache.
REDIS_DB = {"shared": 0, "hospital": 1, "lms": 2, "shop": 3, "crm": 4, "saas": 5}
COVERAGE_MIN = 90
SUMMARY = re.compile(r"(\d+) (passed|failed|errors?|deselected|skipped)")
CLOSING_LINE = re.compile(r"\d+ (passed|failed|errors?)\b.* in [\d.]+s")


def project_env(name: str, services: bool) -> dict[str, str]:
    env = dict(os.environ)
    if services:
        pg = env.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
        redis = env.get("REDIS_BASE", "redis://127.0.0.1:6379")
        env.update(
            DJANGO_MODE="services",
            DATABASE_URL=f"{pg}/capstone_{name}",
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
) -> tuple[int, dict[str, int]]:
    print(f"\n===== {name}: {'services' if services else 'embedded'} mode =====", flush=True)
    proc = subprocess.Popen(
        suite_command(name, coverage, extra),
        cwd=ROOT / name,
        env=project_env(name, services),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    last_summary = ""
    for line in proc.stdout:
        sys.stdout.write(line)
        # pytest's closing line, "=== 3 passed, 1 failed in 1.2s ===" (without the "=" under -q).
        if CLOSING_LINE.search(line):
            last_summary = line
    code = proc.wait()
    if coverage and code == 0:
        code = coverage_report(name) and 100  # 100: "tests passed, coverage too low"
    return code, parse_summary(last_summary)


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
    failed = []
    for name in args.suites:
        code, counts = run_suite(name, args.services, args.coverage, extra)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if code != 0:
            reason = f"coverage under {COVERAGE_MIN}%" if code == 100 else f"pytest exit {code}"
            failed.append(f"{name} ({reason})")
    passed, failures = totals.get("passed", 0), totals.get("failed", 0) + totals.get("errors", 0)
    print("\n===== all suites =====")
    if totals.get("deselected"):
        print(
            f"{totals['deselected']} test(s) left out: they need PostgreSQL or a live worker "
            "(`make test-services` runs them)."
        )
    if failed:
        print("Failed suites: " + ", ".join(failed))
    if passed == 0 and not failed:
        print("No test ran.")
        return 1
    print(f"{passed} passed, {failures} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
