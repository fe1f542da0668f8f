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

HOSPITAL = Path(__file__).resolve().parents[2]


def test_the_api_tour_runs_as_written_and_again(live_server):
    call_command("seed_demo", verbosity=0)

    for _run in range(2):
        tour = run_api_tour(HOSPITAL, live_server.url)
        assert tour.returncode == 0, tour.stdout + tour.stderr
        out = tour.stdout
        assert "DOCTOR_TOKEN holds the access token of dr.grey@hospital.example" in out
        assert '"attr":"last_name"' in out  # the 400 names the field
        assert "doctor_busy" in out  # the slot taken a moment ago: 409
        assert "GET /api/v1/encounters/?patient=" in out and "-> 404" in out
        assert "PATCH /api/v1/observations/" in out and "-> 405" in out
        assert "The payment exceeds the balance of 90.00." in out
        assert out.rstrip().endswith("every call answered the status it should.")
