"""Embedded defaults: one process, SQLite, the database search backend, tasks in-process, console email."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

# Off unless asked for (`TAWASUL_DEBUG=1 make run`): with it on, any error page shows a traceback and the
# settings to whoever can reach the server.
DEBUG = os.environ.get("TAWASUL_DEBUG", "0") == "1"
TAWASUL_SERVE_MEDIA = True  # uploaded images, which Django serves only with DEBUG on (documents: Wagtail's view)
SECRET_KEY = os.environ.get("SECRET_KEY", "embedded-development-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

VAR_DIR.mkdir(exist_ok=True)

# Links in e-mails (notifications, clearance links, subscriptions) point at the address `make run` serves on.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
TAWASUL_PUBLIC_BASE_URL = os.environ.get("TAWASUL_PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL)
# E-mail: one line on the console per message; the whole message in var/mail/ (`.eml`, opens in any mail client).
EMAIL_BACKEND = "hub.mail.ConsoleLineBackend"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("TAWASUL_SQLITE_PATH", str(VAR_DIR / "tawasul.sqlite3")),
        "OPTIONS": {"timeout": 20},
    }
}
