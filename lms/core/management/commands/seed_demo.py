"""`manage.py seed_demo [--bulk N]`: roles, demo users, courses, learners at every stage.

Idempotent: each app's seed.py keys its rows by natural keys and creates only what is missing.
"""

from django.core.management.base import BaseCommand

from assignments import seed as assignments_seed
from classroom import seed as classroom_seed
from courses import seed as courses_seed
from enrollments import seed as enrollments_seed
from quizzes import seed as quizzes_seed
from shared.accounts.demo import seed_demo_users
from shared.accounts.roles import seed_roles


class Command(BaseCommand):
    help = "Create the demo users, courses and learners at every stage (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bulk", type=int, default=0, help="Also make sure N generated courses exist."
        )

    def handle(self, *args, bulk: int, **options):
        roles = seed_roles()
        users = seed_demo_users()
        # Dependency order: courses need their instructors, enrollments need courses.
        courses_seed.seed_demo()
        enrollments_seed.seed_demo()
        quizzes_seed.seed_demo()
        assignments_seed.seed_demo()
        classroom_seed.seed_demo()
        if bulk:
            courses_seed.seed_bulk(bulk)
            quizzes_seed.seed_bulk(bulk)
        self.stdout.write(f"roles created: {len(roles)}; demo users: {len(users)}; seeded.")
