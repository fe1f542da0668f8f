#!/bin/sh
# The official redis image turns protected mode off at build time: other containers on the
# private network connect without a password. Debian's redis-server keeps it on unless told.
set -eu
if [ "${1:-}" = redis-server ]; then
    shift
    exec runuser -u redis -- redis-server --protected-mode no --dir /data "$@"
fi
exec "$@"
