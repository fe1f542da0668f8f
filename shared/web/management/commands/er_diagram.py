"""`manage.py er_diagram [--write README.md]`: the project's ER diagram, drawn from its models.

A project lists the apps to draw in ``settings.ERD_APPS``. Each project has a test that
fails when its README's diagram and its models disagree, so the docs cannot drift.
"""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from shared.web.erd import mermaid, write_into


class Command(BaseCommand):
    help = "Print the Mermaid ER diagram of the project's models, or write it into a README."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--write", metavar="PATH", help="Replace the diagram in this file.")

    def handle(self, *args: Any, write: str | None = None, **options: Any) -> None:
        if write:
            changed = write_into(write, settings.ERD_APPS)
            self.stdout.write(f"{write}: {'updated' if changed else 'already up to date'}")
        else:
            self.stdout.write(mermaid(settings.ERD_APPS))
