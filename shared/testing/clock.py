"""Run a test at a chosen time of day: ``set_clock(monkeypatch, when)``.

Django code reads the time through ``django.utils.timezone.now()``, so replacing that
one function moves every ``timezone.now()`` call, and every ``auto_now`` field (they call
it when a row is saved). It does not move a field declared ``default=timezone.now``:
that field kept a reference to the real function when its model was imported. Left
alone, a row stamped by such a default and a row stamped by a service would disagree
(an encounter "closed" at the fake noon, hours before it "opened" on the real clock,
which the database's CHECK refuses). So ``set_clock`` moves those defaults as well.

The clock keeps running from ``when`` unless ``running=False``; ``monkeypatch`` puts
everything back after the test.
"""

from datetime import datetime

import pytest
from django.apps import apps
from django.utils import timezone

REAL_NOW = timezone.now


class _MovedClock:
    """The stand-in for ``timezone.now``: ``when``, plus the real time elapsed if running."""

    def __init__(self, when: datetime, *, running: bool) -> None:
        self.when, self.running, self.started = when, running, REAL_NOW()

    def __call__(self) -> datetime:
        return self.when + (REAL_NOW() - self.started) if self.running else self.when


def set_clock(monkeypatch: pytest.MonkeyPatch, when: datetime, *, running: bool = True) -> datetime:
    """Make ``timezone.now()`` and the models' ``default=timezone.now`` start at ``when``."""
    now = _MovedClock(when, running=running)
    monkeypatch.setattr(timezone, "now", now)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.default is REAL_NOW or isinstance(field.default, _MovedClock):
                # Field.get_default() caches the callable it found (a cached_property):
                # replace the cache first, so that what monkeypatch restores is the real one.
                monkeypatch.setattr(field, "_get_default", now)
                monkeypatch.setattr(field, "default", now)
    return when
