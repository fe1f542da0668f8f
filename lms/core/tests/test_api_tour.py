"""The API tour in the README runs as written: docs/api-tour.sh against a live server.

The script is the README's API section; this test keeps it true. It runs the real script
with bash and curl against pytest-django's ``live_server`` holding the demo seed (what
``make run`` serves), twice, because a student runs it more than once.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from shared.testing.api_tour import run_api_tour

pytestmark = [pytest.mark.curl, pytest.mark.django_db(transaction=True)]

LMS = Path(__file__).resolve().parents[2]


def test_the_api_tour_runs_as_written_and_again(live_server):
    call_command("seed_demo", verbosity=0)

    for _run in range(2):
        tour = run_api_tour(LMS, live_server.url)
        assert tour.returncode == 0, tour.stdout + tour.stderr
        out = tour.stdout
        assert "POST /api/v1/enrollments/" in out and "-> 201" in out
        assert '"code":"already_enrolled"' in out  # a 409 says why, for programs
        assert '"attr":"file"' in out  # the refused upload names the field
        assert "GET /api/v1/courses/machine-learning-draft/ -> 404" in out
        assert '"course_title":"Python for beginners"' in out  # the public check
        assert out.rstrip().endswith("every call answered the status it should.")
