"""deploy/smoke.py's checks, against the compose stack that .ci/compose-stack.sh started.

The same checks as for the native stack, through nginx over HTTPS: a login, a
registration whose email the worker container sends, the request id in the JSON logs of
the nginx, web and worker containers, static files, security headers, redirects, TLS,
unknown hosts, Flower, and nginx's login limit. Prometheus, inside Docker, scrapes web,
Flower and the Redis exporter by their service names; the Celery metrics check pauses
the worker container and reads the queue length and the task counts through it.

Two native checks change shape. A spoofed X-Forwarded-Proto sent straight to gunicorn:
compose trusts the proxy headers from any container (nginx's address changes with every
start), so what keeps outsiders from gunicorn is that no port of it is published, and
that is what "published ports" checks for every service. /metrics refused to other
addresses: every client comes to nginx through Docker's proxy, so nginx refuses /metrics
to all of them, and Prometheus scrapes web:8000 inside Docker.

    python .ci/compose_smoke.py <project> <deploy/.env file> <compose file>... --mailbox DIR
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

import smoke  # noqa: E402 (deploy/ is not a package on the path)
from smoke import expect  # noqa: E402


@dataclass
class ComposeStack:
    """What deploy/smoke.py needs to know about a stack, for one run by docker-compose."""

    project: str
    compose: list[str]  # the docker-compose command with its --env-file and -f options
    workdir: Path
    https_url: str
    http_url: str
    cert_file: Path
    mailbox: Path
    flower_url: str
    flower_auth: tuple[str, str]
    prometheus_url: str
    demo_logins: list[dict] = field(default_factory=list)
    port: int | None = None  # gunicorn is published on no port in compose
    asgi_url: str | None = None  # uvicorn (the "asgi" service), for the LMS only

    def log(self, name: str) -> Path:
        """A container's log as it is now, in a file: "nginx-access" is nginx's stdout only
        (its access log; errors go to stderr), the others are both streams."""
        service = "nginx" if name == "nginx-access" else name
        container = subprocess.run(
            [*self.compose, "ps", "-q", service], capture_output=True, text=True, check=True
        ).stdout.strip()
        logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True)
        path = self.workdir / f"{name}.log"
        path.write_text(logs.stdout if name == "nginx-access" else logs.stdout + logs.stderr)
        return path


class ComposeSmoke(smoke.Smoke):
    # Only nginx listens on every address; Prometheus and Flower on this host only.
    PUBLISHED = {"nginx": "all", "prometheus": "127.0.0.1", "flower": "127.0.0.1"}

    def check_published_ports(self) -> str:
        containers = subprocess.run(
            [*self.stack.compose, "ps", "-q"], capture_output=True, text=True, check=True
        ).stdout.split()
        inspected = json.loads(
            subprocess.run(
                ["docker", "inspect", *containers], capture_output=True, text=True, check=True
            ).stdout
        )
        wrong, unpublished = [], []
        for container in inspected:
            service = container["Config"]["Labels"]["com.docker.compose.service"]
            ports = container["NetworkSettings"]["Ports"] or {}
            addresses = {
                b["HostIp"] or "0.0.0.0"  # noqa: S104 (reading Docker's bindings, not binding)
                for bindings in ports.values()
                for b in bindings or []
            }
            allowed = self.PUBLISHED.get(service)
            if not addresses:
                unpublished.append(service)
            elif allowed is None or (allowed != "all" and addresses != {allowed}):
                wrong.append(f"{service} on {sorted(addresses)}")
        expect(not wrong, f"published where it must not be: {wrong}")
        expect("web" in unpublished, "the web container (gunicorn) is not running")
        return (
            "nginx on every address, Prometheus and Flower on 127.0.0.1; nothing of "
            + ", ".join(sorted(unpublished))
        )

    def check_metrics_through_nginx(self) -> str:
        refused = self.raw(
            "GET", "/metrics", port=self.https_port, headers={"Host": "127.0.0.1"}, tls=True
        )
        expect(refused.status == 403, f"/metrics through nginx answered {refused.status}")
        return "/metrics through nginx: 403 (Prometheus scrapes web:8000 inside Docker)"

    def celery(self, *args: str) -> str:
        """``celery -A config ...`` in the worker container: Redis is on no published port."""
        command = [*self.stack.compose, "exec", "-T", "worker", "celery", "-A", "config", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        expect(result.returncode == 0, f"celery {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.stdout

    def pause_worker(self) -> None:
        self.celery("control", "cancel_consumer", "celery")

    def resume_worker(self) -> None:
        self.celery("control", "add_consumer", "celery")

    def send_task(self, name: str, kwargs: dict | None = None) -> None:
        self.celery("call", name, "--kwargs", json.dumps(kwargs or {}))

    def compose_checks(self):
        replaced = {
            "spoofed proto": ("published ports", self.check_published_ports),
            "metrics restricted": ("metrics via nginx", self.check_metrics_through_nginx),
        }
        return [replaced.get(name, (name, check)) for name, check in self.all_checks()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project")
    parser.add_argument("env_file")
    parser.add_argument("compose_files", nargs="+")
    parser.add_argument("--mailbox", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    args = parser.parse_args()

    env = dict(
        line.split("=", 1)
        for line in Path(args.env_file).read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    websockets = env.get("WEBSOCKETS_SNIPPET") == "websockets.conf"
    compose = ["docker-compose", "--env-file", args.env_file, "--profile", "monitoring"]
    if websockets:
        compose += ["--profile", "websockets"]
    for compose_file in args.compose_files:
        compose += ["-f", compose_file]
    host = env["DOMAIN"]
    stack = ComposeStack(
        project=args.project,
        compose=compose,
        workdir=args.workdir,
        https_url=f"https://{host}:{env['HTTPS_PORT']}",
        http_url=f"http://{host}:{env['HTTP_PORT']}",
        cert_file=Path(env["CERT_DIR"]) / "fullchain.pem",
        mailbox=args.mailbox,
        flower_url="http://127.0.0.1:5555",
        flower_auth=tuple(env["FLOWER_BASIC_AUTH"].split(":", 1)),
        prometheus_url="http://127.0.0.1:9090",
        # Inside the compose network: nginx reaches it, the checks go through nginx.
        asgi_url=f"http://{env['ASGI_UPSTREAM']}" if websockets else None,
    )
    # The demo data, as docs/deploy.md tells a student to load it.
    for command in (["seed_demo"], ["demo_logins"]):
        result = subprocess.run(
            [*compose, "exec", "-T", "web", "python", "manage.py", *command],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            print(f"manage.py {command[0]} in the web container failed:\n{result.stderr}")
            return 1
    stack.demo_logins = json.loads(result.stdout.strip().splitlines()[-1])
    checker = ComposeSmoke(stack)
    return checker.run(checker.compose_checks())


if __name__ == "__main__":
    sys.exit(main())
