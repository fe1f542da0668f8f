#!/usr/bin/env bash
# Back up the database and the uploaded media of a compose stack into deploy/backups/.
#   cd deploy && ./backup.sh          (daily from cron: 15 3 * * * cd /srv/<site>/deploy && ./backup.sh)
# Restore and rehearsal: docs/deploy.md, "Backups of PostgreSQL, and the restore".
set -euo pipefail
cd "$(dirname "$0")"
set -a; . ./.env; set +a
stamp=$(date +%F-%H%M)
mkdir -p backups

# pg_dump's custom format: compressed, and pg_restore can pick tables out of it.
docker compose exec -T postgres pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" --format=custom \
    > "backups/db-$stamp.dump.partial"
mv "backups/db-$stamp.dump.partial" "backups/db-$stamp.dump"  # never a half-written "good" file

docker compose run --rm --no-deps -T --user root --entrypoint tar -v "$PWD/backups:/out" web \
    -czf "/out/media-$stamp.tgz" -C /srv/media .

# Two weeks here; copy them off this server too (rclone, restic, the cloud's object storage).
find backups -name 'db-*.dump' -mtime +14 -delete
find backups -name 'media-*.tgz' -mtime +14 -delete
ls -lh "backups/db-$stamp.dump" "backups/media-$stamp.tgz"
