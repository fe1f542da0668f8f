from typing import Any

from django.core.management.base import BaseCommand

from shared.accounts.roles import seed_roles


class Command(BaseCommand):
    help = "Create a group for every role the project declares in settings.ROLES."

    def handle(self, *args: Any, **options: Any) -> None:
        created = seed_roles()
        self.stdout.write(f"Roles created: {', '.join(created) or 'none (all present)'}")
