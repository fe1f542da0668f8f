#!/usr/bin/env bash
# Back up the database and the uploaded media of a compose stack into deploy/backups/.
#   cd deploy && ./backup.sh          (daily from cron: 15 3 * * * cd /srv/<site>/deploy && ./backup.sh)
# Restore and rehearsal: docs/deploy.md, "Backups of PostgreSQL, and the restore".
set -euo pipefail
cd "$(dirname "$0")"
stamp=$(date +%F-%H%M)
mkdir -p backups
# Compose v2 (the Docker plugin), or Debian's docker-compose (v1) where that is all there is.
if docker compose version >/dev/null 2>&1; then compose() { docker compose "$@"; }; else compose() { docker-compose "$@"; }; fi

# pg_dump's custom format: compressed, and pg_restore can pick tables out of it. The user
# and database come from the postgres container's own environment (single quotes: its
# shell expands them, not ours), so .env is never read by this shell: a password with a
# "$" or a space in it stays harmless.
compose exec -T postgres sh -c 'pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" --format=custom' \
    > "backups/db-$stamp.dump.partial"
mv "backups/db-$stamp.dump.partial" "backups/db-$stamp.dump"  # never a half-written "good" file

compose run --rm --no-deps -T --user root --entrypoint tar -v "$PWD/backups:/out" web \
    -czf "/out/media-$stamp.tgz" -C /srv/media .

# Two weeks here; copy them off this server too (rclone, restic, the cloud's object storage).
find backups -name 'db-*.dump' -mtime +14 -delete
find backups -name 'media-*.tgz' -mtime +14 -delete
ls -lh "backups/db-$stamp.dump" "backups/media-$stamp.tgz"
