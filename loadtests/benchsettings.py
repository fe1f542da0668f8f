"""Settings for ``make bench`` only: the project's own settings plus bench-only URLs.

The bench starts gunicorn with ``DJANGO_SETTINGS_MODULE=loadtests.benchsettings``
from inside the project folder, so ``config.settings`` below is that project's.
Nothing here is reachable in a normal run: the project's settings never name it.
"""

from config.settings import *  # noqa: F403

BENCH_VIEWS = True
# The project's URLs plus /bench/... (see loadtests/benchviews.py).
ROOT_URLCONF = "loadtests.benchurls"
# Answers "how many SQL queries did this request run?" in a response header, when asked.
MIDDLEWARE = [*MIDDLEWARE, "loadtests.benchviews.QueryCountMiddleware"]  # noqa: F405
