"""`manage.py seed_demo [--bulk N]`: a small hospital to click through. Safe to run again.

The roles and the demo accounts of settings.DEMO_LOGINS first, then each app's ``seed.py``
in dependency order: staff (departments, profiles, availability), patients, scheduling
(today's appointments), clinical (records of finished visits), billing (their invoices).
``--bulk N`` adds the volume of the load tests and benchmarks: N patients and N past
appointments. A second run changes nothing; a run on another day adds that day's visits.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from billing import seed as billing_seed
from clinical import seed as clinical_seed
from patients import seed as patients_seed
from scheduling import seed as scheduling_seed
from shared.accounts.demo import seed_demo_users
from shared.accounts.roles import seed_roles
from staff import seed as staff_seed

# The people behind the demo logins, by email (the staff and the portal patient).
FULL_NAMES = {email: spec[0] for email, spec in staff_seed.STAFF.items()} | {
    patients_seed.PORTAL_EMAIL: "Pat Portal"
}


class Command(BaseCommand):
    help = "Create the demo hospital (staff, patients, today's appointments, records, invoices)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bulk",
            type=int,
            default=0,
            metavar="N",
            help="Also make sure N load-test patients and N past appointments exist.",
        )

    def handle(self, *args, bulk: int = 0, **options):
        with transaction.atomic():
            seed_roles()
            seed_demo_users(
                [
                    {**login, "full_name": FULL_NAMES.get(login["email"], "")}
                    for login in settings.DEMO_LOGINS
                ]
            )
            staff_seed.seed_demo()
            patients_seed.seed_demo()
            scheduling_seed.seed_demo()
            clinical_seed.seed_demo()
            billing_seed.seed_demo()
        if bulk:
            # Outside the demo's transaction: the bulk seeds commit batch by batch.
            patients_seed.seed_bulk(bulk)
            scheduling_seed.seed_bulk(bulk)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo hospital ready. Password for every demo login: " + settings.DEMO_PASSWORD
            )
        )
