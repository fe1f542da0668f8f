#!/bin/sh
# What the official nginx image's entry point does with /etc/nginx/templates: each
# *.template becomes /etc/nginx/conf.d/<name> with ${VAR} filled in by envsubst, only for
# variables that are set, so nginx's own $variables stay as they are.
set -eu
say() { [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$@"; }
defined=$(printf '${%s} ' $(env | cut -d= -f1))
for template in /etc/nginx/templates/*.template; do
    [ -f "$template" ] || continue
    target=/etc/nginx/conf.d/$(basename "$template" .template)
    envsubst "$defined" <"$template" >"$target"
    say "nginx stand-in: $template -> $target"
done
exec "$@"
