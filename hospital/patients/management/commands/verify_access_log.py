"""`manage.py verify_access_log`: recompute the access log's hash chain.

Exits 0 when the chain is intact; otherwise names the first broken entry and exits 1,
so a cron job or CI step can alert on it.
"""

from django.core.management.base import BaseCommand, CommandError

from patients.services import verify_access_log


class Command(BaseCommand):
    help = "Verify the tamper-evident access log; exit 1 and name the first broken entry."

    def handle(self, *args, **options):
        ok, message, _ = verify_access_log()
        if not ok:
            raise CommandError(f"Access log TAMPERED: {message}", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Access log OK: {message}"))
