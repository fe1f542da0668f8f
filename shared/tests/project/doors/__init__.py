"""A tiny app for the shared test suite: one view per role helper, on both doors, plus pages
that exercise the base templates (form errors, pagination, error pages)."""
