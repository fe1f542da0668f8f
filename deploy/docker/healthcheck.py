"""Docker's health probe for the web container: GET /healthz on gunicorn, inside the container.

It names the site with the first ALLOWED_HOSTS entry as Host (Django refuses any other),
and exits 0 when the answer is 200.
"""

import http.client
import os
import sys

host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".") or "localhost"
port = int(os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[1])
try:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    conn.request("GET", "/healthz", headers={"Host": host})
    status = conn.getresponse().status
except OSError as exc:
    print(f"unhealthy: {exc}")
    sys.exit(1)
print(f"/healthz: {status}")
sys.exit(0 if status == 200 else 1)
