"""nginx serves the SPA (deploy/nginx, location /app/) with the pages' own security headers."""

import re
from pathlib import Path

from django.conf import settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"


def nginx_header(snippet: str, name: str) -> str:
    text = (DEPLOY / "snippets" / snippet).read_text()
    match = re.search(rf'^add_header {name} "([^"]+)" always;$', text, re.MULTILINE)
    assert match, f"{snippet} sets no {name}"
    return match.group(1)


def directives(policy: str) -> dict[str, list[str]]:
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {name: values for name, *values in parts}


def test_the_spa_csp_is_the_pages_csp():
    pages = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives(nginx_header("spa-csp.conf", "Content-Security-Policy")) == pages


def test_the_app_location_gets_the_headers_and_the_csp_at_every_level():
    template = (DEPLOY / "templates" / "capstone.conf.template").read_text()
    block = template[template.index("location /app/ {") : template.index("location /media/")]
    # nginx drops the outer add_header lines in a location with its own: include them twice.
    assert block.count("security-headers.conf") == 2
    assert block.count("spa-csp.conf") == 2
    assert "try_files $uri /app/index.html =404;" in block
