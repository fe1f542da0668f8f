"""set_clock moves timezone.now() and the model fields whose default is timezone.now."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shared.accounts.models import User
from shared.testing.clock import REAL_NOW, set_clock

pytestmark = pytest.mark.django_db


def test_a_default_of_timezone_now_follows_the_moved_clock(monkeypatch):
    # User.date_joined is declared default=timezone.now (Django's AbstractUser).
    assert User._meta.get_field("date_joined").default is REAL_NOW
    when = REAL_NOW() - timedelta(days=3, hours=5)
    set_clock(monkeypatch, when, running=False)
    user = User.objects.create_user(email="clock@example.com", password="x-Pass-2024!")
    assert timezone.now() == when
    assert user.date_joined == when


def test_a_running_clock_moves_on_from_the_chosen_time_and_a_second_move_wins(monkeypatch):
    first = REAL_NOW() - timedelta(days=1)
    set_clock(monkeypatch, first)
    assert first <= timezone.now() < first + timedelta(minutes=1)
    second = first - timedelta(days=10)
    set_clock(monkeypatch, second)
    user = User.objects.create_user(email="clock2@example.com", password="x-Pass-2024!")
    assert second <= user.date_joined < second + timedelta(minutes=1)


def test_the_real_clock_is_back_after_the_test():
    assert timezone.now is REAL_NOW
    assert User._meta.get_field("date_joined").get_default() > REAL_NOW() - timedelta(minutes=1)
