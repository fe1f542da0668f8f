"""`manage.py seed_demo [--bulk N]`: roles, demo users, then each app's seed.py in dependency
order (the catalog first: the demo orders buy from it). Idempotent: every piece is keyed by a
natural key and created only when missing."""

import time

from django.core.management.base import BaseCommand

from catalog import seed as catalog_seed
from orders import seed as orders_seed
from shared.accounts.demo import seed_demo_users
from shared.accounts.roles import seed_roles


class Command(BaseCommand):
    help = "Create the demo roles, users, catalog, coupons and orders (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bulk",
            type=int,
            default=0,
            help="Also make sure this many generated products exist (e.g. 10000 for load tests).",
        )

    def handle(self, *args, bulk: int, **options):
        roles = seed_roles()
        users = seed_demo_users()
        catalog_seed.seed_demo()
        orders_seed.seed_demo()
        self.stdout.write(
            f"roles created: {len(roles)}; demo users: {len(users)}; demo catalog, coupons and "
            "orders in place"
        )
        if bulk:
            started = time.perf_counter()
            count = catalog_seed.seed_bulk(bulk)
            seconds = time.perf_counter() - started
            self.stdout.write(f"bulk products created: {count} in {seconds:.1f}s")
