#!/usr/bin/env bash
# Hostile input against every capstone present, on its production-shape stack (gunicorn on
# PostgreSQL, DEBUG off): schemathesis over each API schema, anonymous and as every demo
# role, and hostile values posted to every HTML form. Zero server errors and zero answers
# the schema does not document is the bar (.ci/fuzz.py; docs/deploy.md, "Fuzzing").
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || make setup
exec .venv/bin/python .ci/fuzz.py "$@"
