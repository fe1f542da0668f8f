"""Print the project's demo logins as JSON (``make run`` shows them in its table)."""

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print settings.DEMO_LOGINS ([{role, email, password}, ...]) as JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = [
            {"role": login["role"], "email": login["email"], "password": login["password"]}
            for login in getattr(settings, "DEMO_LOGINS", [])
        ]
        self.stdout.write(json.dumps(logins))
