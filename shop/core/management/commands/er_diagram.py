"""`manage.py er_diagram [--write README.md]`: the shop's ER diagram in Mermaid, from the models."""

from django.core.management.base import BaseCommand

from core.erd import mermaid, write_into


class Command(BaseCommand):
    help = "Print the Mermaid ER diagram of the shop's models, or write it into a README."

    def add_arguments(self, parser):
        parser.add_argument("--write", metavar="PATH", help="Replace the diagram in this file.")

    def handle(self, *args, write: str | None = None, **options):
        if write:
            changed = write_into(write)
            self.stdout.write(f"{write}: {'updated' if changed else 'already up to date'}")
        else:
            self.stdout.write(mermaid())
