"""Fixtures of the core tests: the clinical scenario (a ward with every role)."""

from clinical.tests.conftest import ward  # noqa: F401  (the shared scenario fixture)
