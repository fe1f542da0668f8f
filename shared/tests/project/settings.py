"""A small project that exercises the shared package on its own."""

from pathlib import Path

from shared.testing.worker import PREFORK_QUEUE
from shared.web.settings import *

BASE_DIR = Path(__file__).resolve().parent
SITE_NAME = "Shared test project"
ROOT_URLCONF = "shared.tests.project.urls"
DATABASES = {"default": database_config(BASE_DIR / "test.sqlite3")}
ROLES = {"staff": "Staff", "member": "Member"}
SITE_BASE_TEMPLATE = "doors/base.html"  # its nav link shows on the shared accounts pages

# The lab app gives the shared tests a counter to race on and tasks to run.
INSTALLED_APPS += ["shared.tests.project.lab"]
# The doors app exercises the role helpers and the shared templates (accounts and web tests).
INSTALLED_APPS += ["shared.tests.project.doors"]

# The test-only task that kills its own process runs on the prefork worker of the tests
# (shared.testing.plugin.live_prefork_worker), the only worker that reads this queue.
CELERY_TASK_ROUTES = {
    "shared.tests.project.lab.tasks.send_welcome_dying_once": {"queue": PREFORK_QUEUE},
}
