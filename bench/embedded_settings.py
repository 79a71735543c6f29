"""Settings for `python -m bench.embedded`: the embedded default (SQLite, database search, the file-based API
state cache) with the bench's floor view, no throttling and quiet logging, as `bench.settings` has them."""

from hub.settings.embedded import *  # noqa: F403
from hub.settings.embedded import REST_FRAMEWORK

_THROTTLE_RATES: dict[str, str | None] = dict(REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES") or {})  # type: ignore[arg-type]

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {**_THROTTLE_RATES, "institution_key": None},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
    "loggers": {"tawasul": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILAPI_LIMIT_MAX = 50
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False
