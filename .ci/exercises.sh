#!/usr/bin/env bash
# Every exercise (<project>/exercises/<name>/): on a scratch copy of the committed tree, its
# tests must FAIL without the reference solution, and PASS once solution.patch is applied
# (with the project's migrations complete and ruff clean). Prints a table; exits 1 on any
# mismatch. PostgreSQL-marked exercise tests run when PostgreSQL answers (PG_URL), else
# the embedded mode leaves them out and the table says so.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
py=$root/.venv/bin/python
ruff=$root/.venv/bin/ruff
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_BASE=${REDIS_BASE:-redis://127.0.0.1:6379}
started=$SECONDS

mode=embedded
if command -v pg_isready >/dev/null && pg_isready -q -d "$PG_URL" \
  && redis-cli -u "$REDIS_BASE" ping >/dev/null 2>&1; then
  mode=services
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The committed tree, not the working files: what CI (and a student's clone) has.
mkdir "$scratch/pristine" && git archive HEAD | tar -x -C "$scratch/pristine"

# pytest in one exercise's copy: only that exercise's tests, from the copy's project folder.
# PYTHONPATH puts the copy first, ahead of any .pth file of a venv that points at a checkout.
run_tests() {  # tree project name -> prints pytest's closing line; returns pytest's code
  local tree=$1 project=$2 name=$3 env_mode=()
  if [ "$mode" = services ]; then
    env_mode=(DJANGO_MODE=services "DATABASE_URL=$PG_URL/ex_$project" "REDIS_URL=$REDIS_BASE/9")
  else
    env_mode=(DJANGO_MODE=embedded)
  fi
  (cd "$tree/$project" && env -u DATABASE_URL -u REDIS_URL "${env_mode[@]}" \
    PYTHONPATH="$tree:$tree/$project" CAPSTONE_SUITE="$project" \
    "$py" -m pytest -q -p no:cacheprovider --create-db "exercises/$name" --exercise="$name" 2>&1)
}

failures=0
rows=()
for patch in */exercises/*/solution.patch; do
  project=${patch%%/*}
  name=$(basename "$(dirname "$patch")")
  tree=$scratch/$project-$name
  cp -a "$scratch/pristine" "$tree"
  verdict=ok

  # The copy's own code is the one imported (not /work/main's, nor this checkout's).
  where=$(cd "$tree/$project" && PYTHONPATH="$tree:$tree/$project" "$py" -c \
    'import shared, config; print(shared.__file__, config.__file__)')
  case "$where" in "$tree/shared/"*" $tree/$project/config/"*) ;; *) verdict="imports $where" ;; esac

  before=$(run_tests "$tree" "$project" "$name"); before_code=$?
  before_line=$(printf '%s\n' "$before" | tail -1)
  # Without the solution every test must fail (exit 1, nothing passed, no collection error).
  if [ "$before_code" -ne 1 ] || [[ "$before_line" == *passed* ]] || [[ "$before_line" == *error* ]]; then
    verdict="tests do not all fail without the solution: $before_line"
    printf '%s\n' "$before" | tail -30
  fi

  if ! (cd "$tree" && git apply --whitespace=error-all "$root/$patch"); then
    verdict="solution.patch does not apply"
  elif ! (cd "$tree/$project" && PYTHONPATH="$tree:$tree/$project" DJANGO_MODE=embedded \
      "$py" manage.py makemigrations --check --dry-run >/dev/null); then
    verdict="a migration is missing with the solution"
  elif ! (cd "$tree" && "$ruff" check -q "$project" && "$ruff" format -q --check "$project"); then
    verdict="the solution is not ruff clean"
  fi

  after=$(run_tests "$tree" "$project" "$name"); after_code=$?
  after_line=$(printf '%s\n' "$after" | tail -1)
  if [ "$verdict" = ok ] && { [ "$after_code" -ne 0 ] || [[ "$after_line" != *passed* ]]; }; then
    verdict="tests fail with the solution: $after_line"
    printf '%s\n' "$after" | tail -40
  fi
  [ "$verdict" = ok ] || failures=$((failures + 1))
  rows+=("$(printf '%-9s %-16s %-38s %-38s %s' "$project" "$name" "${before_line:0:38}" \
    "${after_line:0:38}" "$verdict")")
  rm -rf "$tree"
done

printf '\n%-9s %-16s %-38s %-38s %s\n' project exercise "without the solution" \
  "with solution.patch" verdict
printf '%s\n' "${rows[@]}"
echo "mode: $mode; ${#rows[@]} exercise(s), $failures mismatch(es), $((SECONDS - started)) s"
[ "${#rows[@]}" -gt 0 ] && [ "$failures" -eq 0 ]
