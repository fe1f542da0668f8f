"""ASGI entry point: HTTP goes to Django, WebSockets to the live classroom's consumers.

In production gunicorn serves HTTP (config/wsgi.py) and an ASGI server (uvicorn) serves
only /ws/ behind nginx (lms/docs/decisions/0002-websockets-with-channels.md); in
development runserver, made ASGI by daphne, serves both from this one application.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django is set up first: the routes below import models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from classroom.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The session cookie signs the user in (AuthMiddlewareStack); a page of another site
        # cannot open the socket with it (the Origin must be one of ALLOWED_HOSTS).
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
