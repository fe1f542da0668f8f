#!/usr/bin/env bash
# The bug museum (docs/review/README.md): every docs/review/bugs/<entry>.patch puts a real
# mistake back into the code, and the test named on its .md's "Test:" line must then fail.
#
#   bash .ci/museum.sh                  every entry; prints a table, exits 1 if one is not caught
#   bash .ci/museum.sh shop-oversell    one entry, showing the red test (make review-bug B=...)
#
# Each entry runs in a scratch copy of the committed tree (git archive HEAD), never in your
# working tree. Only the named test runs, on the embedded mode (SQLite, Celery eager).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUGS=docs/review/bugs
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}

if [ $# -gt 0 ]; then entries=("$@"); verbose=1; else
  entries=(); for md in "$BUGS"/*.md; do entries+=("$(basename "$md" .md)"); done; verbose=0
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/museum.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

failures=0
started=$SECONDS
printf '%-36s %-90s %s\n' ENTRY TEST RESULT
for entry in "${entries[@]}"; do
  patch="$BUGS/$entry.patch" md="$BUGS/$entry.md"
  if [ ! -f "$patch" ] || [ ! -f "$md" ]; then
    printf '%-36s %-90s %s\n' "$entry" "-" "MISSING ($patch and $md are both needed)"
    failures=$((failures + 1)); continue
  fi
  # The one machine-readable line: "Test: shop/orders/tests/test_doors.py::test_name".
  test=$(sed -n 's/^Test: *//p' "$md" | head -1)
  project=${test%%/*}
  # A fresh copy of the committed tree for every entry, so one patch cannot leak into the next.
  copy="$scratch/$entry"
  mkdir -p "$copy" && git archive HEAD | tar -x -C "$copy"
  if ! git -C "$copy" apply "$ROOT/$patch" 2>"$scratch/apply.err"; then
    printf '%-36s %-90s %s\n' "$entry" "$test" "PATCH DOES NOT APPLY"
    cat "$scratch/apply.err"; failures=$((failures + 1)); rm -rf "$copy"; continue
  fi
  # PYTHONPATH first: the copy's shared/ must win over any other checkout on sys.path.
  (cd "$copy/$project" && DJANGO_MODE=embedded PYTHONPATH="$copy" "$PYTHON" -m pytest -q \
    -p no:cacheprovider -x -m "not postgres and not worker and not browser" \
    "${test#"$project"/}") >"$scratch/out" 2>&1
  rc=$?
  # pytest exits 1 when a test failed. 0 is a bug not caught; anything else (2 collection
  # error, 4 no such test, 5 nothing collected) means the entry itself is broken.
  case $rc in
    1) result=caught ;;
    0) result="NOT CAUGHT" ;;
    *) result="BROKEN ENTRY (pytest exit $rc)" ;;
  esac
  [ "$rc" = 1 ] || failures=$((failures + 1))
  printf '%-36s %-90s %s\n' "$entry" "$test" "$result"
  if [ "$verbose" = 1 ] || [ "$rc" != 1 ]; then tail -n 40 "$scratch/out"; fi
  rm -rf "$copy"
done
echo "${#entries[@]} entries, $failures not caught or broken, in $((SECONDS - started)) s"
[ "$failures" = 0 ]
