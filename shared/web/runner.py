"""`make run`: migrate, seed and serve every capstone present, each on its own port.

    python -m shared.web.runner [shop hospital ...]
    PORT=9000 python -m shared.web.runner shop        # shop on 9000
    PORT=9000 python -m shared.web.runner             # hospital 9000, lms 9001, shop 9002 ...

Each project runs Django's development server in its own process, in the embedded
mode (SQLite, Celery eager, console email). A busy port stops the run before anything
starts. The table of URLs and logins is printed last, once every server answers, so
nothing scrolls it away. Ctrl-C stops them all.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"hospital": 8001, "lms": 8002, "shop": 8003, "crm": 8004, "saas": 8005}
HOST = "127.0.0.1"
# Migrating and seeding in the embedded mode run tasks eagerly; at INFO each one would log
# "Task ... succeeded ...: False" (False is just the task's return value), which reads
# like a failure. WARNING still shows anything that really went wrong.
QUIET = {"LOG_LEVEL": "WARNING"}


class PortBusy(Exception):
    """Another program already listens on a port a project needs."""


def ports_for(projects: list[str], base: str | None) -> dict[str, int]:
    """Each project's port: the fixed table, or ``PORT`` (one project) / ``PORT`` + offset.

    With several projects, ``PORT`` is the base of the same layout as the fixed table
    (hospital base+0, lms base+1, shop base+2, crm base+3, saas base+4)."""
    if not base:
        return {p: PORTS[p] for p in projects}
    if not base.isdigit() or not 0 < int(base) < 65536 - len(PORTS):
        raise ValueError(f"PORT must be a port number, not {base!r}")
    if len(projects) == 1:
        return {projects[0]: int(base)}
    first = min(PORTS.values())
    return {p: int(base) + PORTS[p] - first for p in projects}


def check_port_free(port: int) -> None:
    """Raise PortBusy when something already listens on ``port`` (we would not be serving)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise PortBusy(
                f"port {port} is in use by another program; set PORT=... or stop it"
            ) from exc


def wait_until_listening(port: int, server: subprocess.Popen[str], timeout: float = 60) -> bool:
    """True once ``port`` accepts connections; False if the server exited or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex((HOST, port)) == 0:
                return True
        time.sleep(0.2)
    return False


def manage(project: str, *args: str, capture: bool = False) -> str:
    env = {**os.environ, "DJANGO_MODE": "embedded", "PYTHONUNBUFFERED": "1", **QUIET}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT / project,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def prepare(project: str) -> list[dict[str, str]]:
    print(f"--- {project}: migrate and seed", flush=True)
    manage(project, "migrate", "--no-input", "-v", "0")
    manage(project, "seed_demo")
    logins: list[dict[str, str]] = json.loads(manage(project, "demo_logins", capture=True))
    return logins


def runserver_command(port: int) -> list[str]:
    return [sys.executable, "manage.py", "runserver", f"{HOST}:{port}", "--noreload"]


class Server:
    """One ``runserver`` whose output is held back until the table has been printed.

    Its start-up banner ("Starting development server at ...") would otherwise come after
    the table and push it off the screen. Lines read before ``release()`` are kept, and
    shown only if the server dies before it listens (they say why); afterwards each line
    (a request log, a traceback) is printed with the project's name in front.
    """

    def __init__(self, project: str, port: int):
        self.project, self.port = project, port
        self.held: list[str] = []
        self.released = threading.Event()
        self.process = subprocess.Popen(
            runserver_command(port),
            cwd=ROOT / project,
            env={**os.environ, "DJANGO_MODE": "embedded", "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.reader = threading.Thread(target=self._forward, daemon=True)
        self.reader.start()

    def _forward(self) -> None:
        assert self.process.stdout is not None  # Popen(stdout=PIPE) always has one
        for line in self.process.stdout:
            if self.released.is_set():
                print(f"[{self.project}] {line}", end="", flush=True)
            else:
                self.held.append(line)

    def release(self) -> None:
        self.released.set()

    def startup_output(self) -> str:
        self.reader.join(timeout=2)
        return "".join(self.held)


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


def stop(servers: list[Server]) -> None:
    for server in servers:
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGINT)
    for server in servers:
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # `kill <pid>` stops the servers as Ctrl-C does


def main(projects: list[str]) -> int:
    projects = projects or [p for p in PORTS if (ROOT / p / "manage.py").exists()]
    unknown = [p for p in projects if p not in PORTS or not (ROOT / p / "manage.py").exists()]
    if unknown:
        print(f"Unknown or absent project(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    try:
        ports = ports_for(projects, os.environ.get("PORT"))
        for port in ports.values():  # before seeding: a busy port stops the run at once
            check_port_free(port)
    except (ValueError, PortBusy) as exc:
        print(f"make run: {exc}", file=sys.stderr)
        return 1

    rows = []
    for project in projects:
        logins = prepare(project)
        url = f"http://{HOST}:{ports[project]}/"
        first, *rest = [f"{u['role']}: {u['email']} / {u['password']}" for u in logins] or ["-"]
        rows.append((project, url, url + "api/docs/", first))
        rows += [("", "", "", login) for login in rest]

    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    servers = [Server(p, ports[p]) for p in projects]
    try:
        for server in servers:
            if not wait_until_listening(server.port, server.process):
                # Another program may have taken the port since the check, or the project
                # failed to start: show what the server said, and stop the others.
                print(server.startup_output(), end="", file=sys.stderr)
                print(f"make run: {server.project} did not start on port {server.port}",
                      file=sys.stderr)  # fmt: skip
                return 1
        print_table(rows)
        for server in servers:
            server.release()
        while all(server.process.poll() is None for server in servers):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop(servers)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
