"""Production: everything that differs between deployments comes from the environment."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .environment import database_from_env, search_backends_from_env


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required in production.")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

DATABASES = {"default": database_from_env("")} if os.environ.get("DATABASE_URL") else {}
if not DATABASES:
    raise ImproperlyConfigured("The environment variable DATABASE_URL is required in production.")
WAGTAILSEARCH_BACKENDS = search_backends_from_env()

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
CACHES = {"default": {"BACKEND": "hub.cache.RedisCache", "LOCATION": REDIS_URL}}
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", CELERY_BEAT_SCHEDULE_FILENAME)  # noqa: F405
# Wagtail's background tasks (django-tasks) go through Celery too: see hub/tasks_backend.py.
TASKS = {"default": {"BACKEND": "hub.tasks_backend.CeleryTaskBackend"}}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(MEDIA_ROOT)))  # noqa: F405
# Uploaded images under MEDIA_URL: served by Django when no web server in front serves MEDIA_ROOT/images and
# MEDIA_ROOT/original_images (never MEDIA_ROOT/documents: documents go through Wagtail's view).
TAWASUL_SERVE_MEDIA = os.environ.get("TAWASUL_SERVE_MEDIA", "0") == "1"

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The TLS-terminating proxy (one, by default) appends the client's address to X-Forwarded-For; set the number of
# proxies of ours in front of the application (0 when clients connect directly). docs/security.md.
TAWASUL_TRUSTED_PROXIES = int(os.environ.get("TAWASUL_TRUSTED_PROXIES", "1"))
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": TAWASUL_TRUSTED_PROXIES}  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# Wagtail's live preview frames the site from the admin (same origin), so framing stays SAMEORIGIN, and the
# Content Security Policy's `frame-ancestors 'self'` says the same; everything else is refused. docs/security.md.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"no-reply@{ALLOWED_HOSTS[0]}")
TAWASUL_PUBLIC_BASE_URL = os.environ.get("TAWASUL_PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL)
TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
