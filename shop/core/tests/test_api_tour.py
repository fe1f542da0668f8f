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

SHOP = Path(__file__).resolve().parents[2]


def test_the_api_tour_runs_as_written_and_again(settings, live_server):
    # The sandbox's webhook is a real POST back to the server that served the page;
    # Celery is eager, so it lands on another thread of the live server.
    settings.SHOP_PUBLIC_URL = live_server.url
    call_command("seed_demo", verbosity=0)

    for _run in range(2):
        tour = run_api_tour(SHOP, live_server.url)
        assert tour.returncode == 0, tour.stdout + tour.stderr
        out = tour.stdout
        assert "POST /api/v1/cart/items/" in out and "-> 201" in out
        assert '"attr":"quantity"' in out  # the 400 names the field
        assert "-> 404" in out and "No such line in your cart." in out
        assert '"status":"paid"' in out
        assert "cannot fulfil it" in out  # the refused transition, a 409
        assert out.rstrip().endswith("every call answered the status it should.")
