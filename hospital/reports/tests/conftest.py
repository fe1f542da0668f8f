from clinical.tests.conftest import ward  # noqa: F401  (the shared scenario fixture)
