#!/usr/bin/env bash
# End-to-end browser tests: headless Chromium from Debian, driven by Playwright.
# Installs Chromium when missing, then runs only the tests marked `browser` in each
# capstone that has some (embedded mode: SQLite, eager Celery). See docs/browser-tests.md.
# Screenshots go to $BROWSER_SCREENSHOTS (default /tmp/browser-screenshots) to keep as
# a CI artifact; a failing test leaves <test>-FAILED.png there.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  echo "### installing Chromium (Debian package)"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

export BROWSER_SCREENSHOTS="${BROWSER_SCREENSHOTS:-${TMPDIR:-/tmp}/browser-screenshots}"
mkdir -p "$BROWSER_SCREENSHOTS"

failed=0
for ini in */pytest.ini; do
  project=$(dirname "$ini")
  # Only the suites that have browser tests (-m browser selecting nothing exits 5).
  grep -rlq --include='test_*.py' 'pytest.mark.browser' "$project" || continue
  echo "### browser tests: $project ($((SECONDS - started)) s)"
  # -p no:cacheprovider: no .pytest_cache left behind; -m browser: only these tests.
  if ! (cd "$project" && ../.venv/bin/pytest -m browser -q -p no:cacheprovider); then
    failed=1
  fi
done

echo "### browser tests done in $((SECONDS - started)) s; screenshots in $BROWSER_SCREENSHOTS"
exit "$failed"
