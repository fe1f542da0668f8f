"""`manage.py er_diagram [--write README.md]`: the hospital's ER diagram, from the models."""

from django.core.management.base import BaseCommand

from core.erd import HOSPITAL_APPS
from shared.web.erd import mermaid, write_into


class Command(BaseCommand):
    help = "Print the Mermaid ER diagram of the hospital's models, or write it into a README."

    def add_arguments(self, parser):
        parser.add_argument("--write", metavar="PATH", help="Replace the diagram in this file.")

    def handle(self, *args, write: str | None = None, **options):
        if write:
            changed = write_into(write, HOSPITAL_APPS)
            self.stdout.write(f"{write}: {'updated' if changed else 'already up to date'}")
        else:
            self.stdout.write(mermaid(HOSPITAL_APPS))
