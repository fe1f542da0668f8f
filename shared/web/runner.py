"""`make run`: migrate, seed and serve every capstone present, each on its own port.

    python -m shared.web.runner [shop hospital ...]

Each project runs Django's development server in its own process, in the embedded
mode (SQLite, Celery eager, console email). Ctrl-C stops them all.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"hospital": 8001, "lms": 8002, "shop": 8003, "crm": 8004, "saas": 8005}


def manage(project: str, *args: str, capture: bool = False) -> str:
    env = {**os.environ, "DJANGO_MODE": "embedded", "PYTHONUNBUFFERED": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT / project,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def prepare(project: str) -> list[dict]:
    print(f"--- {project}: migrate and seed", flush=True)
    manage(project, "migrate", "--no-input", "-v", "0")
    manage(project, "seed_demo")
    return json.loads(manage(project, "demo_logins", capture=True))


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    headers = ("project", "URL", "API docs", "demo logins (role: email / password)")
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(3)]
    line = (
        "  ".join(h.ljust(w) for h, w in zip(headers[:3], widths, strict=True)) + "  " + headers[3]
    )
    print("\n" + line + "\n" + "-" * len(line))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + "  " + row[3])
    print("\nCtrl-C stops every server.\n", flush=True)


def main(projects: list[str]) -> int:
    projects = projects or [p for p in PORTS if (ROOT / p / "manage.py").exists()]
    unknown = [p for p in projects if p not in PORTS or not (ROOT / p / "manage.py").exists()]
    if unknown:
        print(f"Unknown or absent project(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    rows = []
    for project in projects:
        logins = prepare(project)
        url = f"http://127.0.0.1:{PORTS[project]}/"
        first, *rest = [f"{u['role']}: {u['email']} / {u['password']}" for u in logins] or ["-"]
        rows.append((project, url, url + "api/docs/", first))
        rows += [("", "", "", login) for login in rest]

    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORTS[p]}", "--noreload"],
            cwd=ROOT / p,
            env={**os.environ, "DJANGO_MODE": "embedded"},
        )
        for p in projects
    ]
    time.sleep(1.5)  # let the servers print their banners before the table
    print_table(rows)
    try:
        while all(server.poll() is None for server in servers):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
        for server in servers:
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
