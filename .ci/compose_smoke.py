"""deploy/smoke.py's checks, against the compose stack that .ci/compose-stack.sh started.

The same checks as for the native stack, where they apply: through nginx over HTTPS, a
login, a registration whose email the worker container sends, the request id in the JSON
logs of the nginx, web and worker containers, static files, security headers, redirects,
TLS, unknown hosts, Flower and nginx's login limit. Then Prometheus, inside Docker,
scrapes web, Flower and the Redis exporter by their service names.

Left out, because only the native stack can show them: a spoofed X-Forwarded-Proto sent
straight to gunicorn, and /metrics refused to other addresses. In compose, gunicorn and
/metrics are published on no port; every client nginx sees comes through Docker's proxy.
Also left out: the queue-length check, which needs the broker, and compose keeps Redis on
its private network.

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
    def check_prometheus(self) -> str:
        up, rules = self.targets_and_rules(timeout=60)
        emails = self.wait_for_metric(
            'sum(flower_events_total{task="shared.send_templated_email",type="task-succeeded"})',
            lambda v: v >= 1,
        )
        return (
            f"Prometheus in Docker: {up} targets up (web, flower, redis-exporter), "
            f"{rules} alert rules healthy, {emails:.0f} email task(s) succeeded"
        )

    def compose_checks(self):
        left_out = {"spoofed proto", "metrics restricted", "Celery metrics"}
        checks = [(name, check) for name, check in self.all_checks() if name not in left_out]
        # Before the login limit, which stays last: it uses the limit up.
        checks.insert(-1, ("Prometheus", self.check_prometheus))
        return checks


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
    compose = ["docker-compose", "--env-file", args.env_file, "--profile", "monitoring"]
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
