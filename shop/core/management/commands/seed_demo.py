"""`manage.py seed_demo [--products N]`: roles, demo users, the catalog, coupons and a month of
orders. Idempotent: every piece is keyed by a natural key and created only when missing."""

from django.core.management.base import BaseCommand

from core.demo import seed_bulk_catalog, seed_products
from orders.demo import seed_coupons, seed_orders
from shared.accounts.demo import seed_demo_users
from shared.accounts.roles import seed_roles


class Command(BaseCommand):
    help = "Create the demo roles, users, catalog, coupons and orders (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=0,
            help="Also make sure this many generated products exist (e.g. 10000 for load tests).",
        )

    def handle(self, *args, products: int, **options):
        roles = seed_roles()
        users = seed_demo_users()
        created = seed_products()  # the catalog first: the demo orders buy from it
        coupons = seed_coupons()
        orders = seed_orders()
        self.stdout.write(
            f"roles created: {len(roles)}; demo users: {len(users)}; "
            f"demo products created: {created}; coupons created: {coupons}; "
            f"demo orders created: {orders}"
        )
        if products:
            count, seconds = seed_bulk_catalog(products)
            self.stdout.write(f"bulk products created: {count} in {seconds:.1f}s")
