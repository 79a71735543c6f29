"""Settings for the benchmarks: the test settings against real services, with a floor view and no throttling."""

from hub.settings.test import *  # noqa: F403
from hub.settings.test import REST_FRAMEWORK

_THROTTLE_RATES: dict[str, str | None] = dict(REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES") or {})  # type: ignore[arg-type]

DEBUG = False
ROOT_URLCONF = "bench.urls"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **_THROTTLE_RATES,
        "institution_key": None,  # no rate: DRF's throttle then allows without touching the cache
    },
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
    "loggers": {"tawasul": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Wagtail API v2 answers at most 20 items by default; the comparison needs 50 pages, like the 50 messages.
WAGTAILAPI_LIMIT_MAX = 50
