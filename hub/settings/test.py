"""Test settings: SQLite and the database search backend unless the environment names real services."""

import json
import os

from .base import *  # noqa: F403
from .base import VAR_DIR
from .environment import database_from_env, search_backends_from_env

DEBUG = False
SECRET_KEY = "test-key-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
VAR_DIR.mkdir(exist_ok=True)
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)

DATABASES = {"default": database_from_env(f"sqlite:///{VAR_DIR / 'test.sqlite3'}")}
os.environ.setdefault("TAWASUL_SEARCH_INDEX", "tawasul_test")  # never write to a developer's index
WAGTAILSEARCH_BACKENDS = search_backends_from_env()

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = os.environ.get("TAWASUL_TEST_AXES", "0") == "1"
TAWASUL_API_KEY_FAILURES = (1_000_000, 60)  # tests of the limit set their own; others send many unknown keys
TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = True
TAWASUL_API_STATE_MAX_AGE = float(os.environ.get("TAWASUL_API_STATE_MAX_AGE", "0"))  # tests see each write at once
# Integration tests shrink webhook timings for the worker they start (JSON values, e.g. "[0.5, 1.5, 3]").
for _name in ("TAWASUL_WEBHOOKS_RETRY_DELAYS", "TAWASUL_WEBHOOKS_TIMEOUT", "TAWASUL_WEBHOOKS_CLAIM_SECONDS"):
    if os.environ.get(_name):
        globals()[_name] = json.loads(os.environ[_name])

# A worker started by an integration test sends e-mail to the test's own SMTP server on this loopback port.
if os.environ.get("TAWASUL_TEST_SMTP_PORT"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT = "127.0.0.1", int(os.environ["TAWASUL_TEST_SMTP_PORT"]), 5

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {"default": {"BACKEND": "hub.cache.RedisCache", "LOCATION": REDIS_URL}}
# Unit tests run tasks in-process; integration tests start a real worker with TAWASUL_CELERY_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TAWASUL_CELERY_EAGER", "1") == "1"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
