"""Embedded defaults: one process, SQLite, the database search backend, tasks in-process, console email."""

import os

from .base import *  # noqa: F403
from .base import CACHES, VAR_DIR

# Off unless asked for (`TAWASUL_DEBUG=1 make run`): with it on, any error page shows a traceback and the
# settings to whoever can reach the server.
DEBUG = os.environ.get("TAWASUL_DEBUG", "0") == "1"
TAWASUL_SERVE_MEDIA = True  # uploaded images, which Django serves only with DEBUG on (documents: Wagtail's view)
SECRET_KEY = os.environ.get("SECRET_KEY", "embedded-development-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("TAWASUL_SQLITE_PATH", str(VAR_DIR / "tawasul.sqlite3")),
        "OPTIONS": {"timeout": 20},
    }
}

# The API state token (hub/api/state.py) in a cache every process on this machine shares: the default cache is
# local memory per process, so a key revoked from another process (a shell, a management command, a second
# server) kept working in this one until the token lapsed. One small file read per API request (docs/security.md).
CACHES = {
    **CACHES,
    "api_state": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("TAWASUL_STATE_CACHE_DIR", str(VAR_DIR / "cache" / "api-state")),
    },
}
