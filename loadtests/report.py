"""Reading locust's CSV output and writing the short Markdown summary of a run."""

import ast
import csv
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def machine() -> dict:
    """The machine the numbers come from: they mean little without it."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cores": os.cpu_count(),
        "cpu": model or platform.processor(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "commit": commit,
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def machine_note(info: dict) -> str:
    load = ", ".join(f"{x:.2f}" for x in info["load_average"])
    return (
        f"Machine: {info['cores']} cores ({info['cpu']}), load average before the run {load}. "
        "The load generator (locust) and the whole stack (gunicorn, PostgreSQL, Redis, "
        "Celery) share these cores, so the generator takes CPU from the server: absolute "
        "numbers are a floor, ratios measured in one run are what to compare."
    )


def journey_steps(locustfile: Path) -> list[str]:
    """The ``STEPS`` list a locustfile declares, read without importing locust."""
    tree = ast.parse(locustfile.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "STEPS" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise ValueError(f"{locustfile} declares no STEPS list")


def read_stats(csv_prefix: Path) -> list[dict]:
    """Rows of ``<prefix>_stats.csv``: one per request name, plus the "Aggregated" row."""
    with open(f"{csv_prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def read_failures(csv_prefix: Path) -> list[dict]:
    path = Path(f"{csv_prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def row_name(row: dict) -> str:
    return f"{row['Type']} {row['Name']}".strip() if row["Type"] else row["Name"]


def missing_steps(rows: list[dict], steps: list[str]) -> list[str]:
    """Steps no request carried: a journey that stopped early or a renamed URL."""
    ran = {row["Name"] for row in rows if int(row["Request Count"]) > 0}
    return [step for step in steps if step not in ran]


def _ms(value: str) -> str:
    try:
        return f"{float(value):.0f}"
    except ValueError:
        return value


def write_summary(
    path: Path,
    *,
    project: str,
    info: dict,
    settings: dict,
    rows: list[dict],
    failures: list[dict],
    limits: dict,
    verdict: list[str],
) -> None:
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests, failed = int(total["Request Count"]), int(total["Failure Count"])
    lines = [
        f"# Load test: {project}, {info['when']}",
        "",
        machine_note(info),
        "",
        "How: " + ", ".join(f"{k} {v}" for k, v in settings.items()) + ".",
        "",
        f"**Result: {'PASS' if not verdict else 'FAIL'}**"
        + ("" if not verdict else " — " + "; ".join(verdict)),
        "",
        f"- requests {requests}, failed {failed} ({failed / max(requests, 1):.2%}; "
        f"limit {limits['max_failure_ratio']:.2%})",
        f"- throughput {float(total['Requests/s']):.1f} req/s",
        f"- latency p50 {_ms(total['50%'])} ms, p95 {_ms(total['95%'])} ms "
        f"(limit {limits['max_p95_ms']}), p99 {_ms(total['99%'])} ms, "
        f"max {_ms(total['Max Response Time'])} ms",
        "",
        "| request | count | fail | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        lines.append(
            f"| {row_name(row)} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {_ms(row['50%'])} | {_ms(row['95%'])} | "
            f"{_ms(row['99%'])} |"
        )
    if failures:
        lines += ["", "## Failures", "", "| request | error | count |", "|---|---|---:|"]
        for row in failures:
            error = row["Error"].replace("|", "/").replace("\n", " ")[:160]
            lines.append(f"| {row['Method']} {row['Name']} | {error} | {row['Occurrences']} |")
    lines += [
        "",
        "Files: `report.html` (charts, open in a browser), `stats.csv` style files "
        "(`run_stats.csv` per request, `run_stats_history.csv` over time, "
        "`run_failures.csv`), `server.log` (gunicorn and worker output).",
        "",
    ]
    path.write_text("\n".join(lines))
