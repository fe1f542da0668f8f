#!/usr/bin/env bash
# A self-signed certificate for local HTTPS (make certs, the native stack, compose on a laptop).
#   deploy/make-certs.sh [DIR] [NAME ...]      default: deploy/certs localhost 127.0.0.1
# Writes DIR/fullchain.pem and DIR/privkey.pem: the file names certbot uses, so nginx's
# configuration is the same for a self-signed and a Let's Encrypt certificate.
set -euo pipefail

dir=${1:-"$(dirname "$0")/certs"}
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(localhost 127.0.0.1)

# Browsers read the names from subjectAltName (the CN is ignored): DNS names and IP addresses.
san=""
for name in "${names[@]}"; do
    if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then san+="IP:$name,"; else san+="DNS:$name,"; fi
done

mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes \
    -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" \
    -subj "/CN=${names[0]}" -addext "subjectAltName=${san%,}" 2>/dev/null
chmod 600 "$dir/privkey.pem"
echo "Self-signed certificate for ${names[*]} in $dir (valid 365 days)"
