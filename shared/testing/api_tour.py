"""Run a project's ``docs/api-tour.sh`` (the README's API tour) against a live server.

The tour tests of every capstone call this, so each keeps only what it checks in the output.
"""

import os
import subprocess
from pathlib import Path

from django.conf import settings


def run_api_tour(project_dir: Path, base_url: str) -> subprocess.CompletedProcess[str]:
    """``bash docs/api-tour.sh`` in ``project_dir`` with ``BASE`` and the demo password set."""
    # Every capstone's settings name the demo logins' password (shared.accounts.demo).
    password: str = getattr(settings, "DEMO_PASSWORD")  # noqa: B009 (a project setting)
    env = {**os.environ, "BASE": base_url, "DEMO_PASSWORD": password}
    return subprocess.run(
        ["bash", "docs/api-tour.sh"],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
