"""The shop's own settings on a throwaway SQLite file, for the SPA journey (.ci/spa.sh).

The journey migrates, seeds and places orders: it must never touch the db.sqlite3 that
`make run` uses on a developer's machine.
"""

import os

from config.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["SPA_JOURNEY_DB"]  # noqa: F405
