"""Settings shared by every environment. Environment modules override what differs."""

import os
import zoneinfo
from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

INSTALLED_APPS = [
    "hub",
    "institutions",
    "messaging",
    "campaigns",
    "search",
    "webhooks",
    "alignment",
    "clearance",
    "institution_space",
    "monitoring",
    "subscriptions",
    "releases",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "hub.wagtail_admin.WagtailAdminConfig",  # wagtail.admin, with its workflow e-mails sent after the commit
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "health_check",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one: every response gets the policy, also an error page made from an exception raised by a
    # middleware further in (an oversized body read by the CSRF check, say).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hub.middleware.TawasulLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "messaging.middleware.AdminNamesMiddleware",
]

ROOT_URLCONF = "hub.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "hub.wsgi.application"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Languages: Arabic is the source language of every message and page; English is its translation.
LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", "العربية"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
# Content languages are named in the reader's language in the admin ("الإنجليزية" in the Arabic admin); the
# language chooser of the account settings keeps each language's own name (LANGUAGES).
WAGTAIL_CONTENT_LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["hub.formats"]  # dates in the reader's language, month by name (hub/formats/)
TIME_ZONE = "Asia/Muscat"
# The account settings' time zones: the system's zone database without its aliases of the machine's own zone
# ("localtime", "posixrules", "Factory"), which browsers refuse ("Invalid time zone specified" in the console).
WAGTAIL_USER_TIME_ZONES = sorted(
    zone
    for zone in zoneinfo.available_timezones()
    if zone not in {"localtime", "posixrules", "Factory"} and not zone.startswith(("posix/", "right/"))
)
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

WAGTAIL_SITE_NAME = "Tawasul"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # the admin makes no request to another site
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_MODERATION_ENABLED = True
# Translating a live message creates a draft translation; it goes live only after review (messaging.lifecycle).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# The languages a message's first release needs beside the Arabic source (parity).
TAWASUL_REQUIRED_LANGUAGES = ("en",)
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "txt"]
# Documents are always served by the view (never a redirect to storage), with the content type of their extension
# (not the uploader's claim), and as attachments except PDF; with `nosniff`, no upload is ever rendered as HTML.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
}
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
# The file of an image or document that a message or page uses cannot be replaced (hub/media.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "hub.media.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "hub.media.DocumentForm"
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]},
    }
}

WAGTAILSEARCH_BACKENDS = {
    # Analysed text in Python; the index follows the outbox and page signals (search.indexing), not saves.
    "default": {"BACKEND": "search.backends.database", "AUTO_UPDATE": False},
}

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "hub.api.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "hub.api.schema.InstitutionAPISchema",
    "EXCEPTION_HANDLER": "hub.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PARSER_CLASSES": ["hub.api.parsers.ORJSONParser"],
    "DEFAULT_THROTTLE_RATES": {"institution_key": "1200/minute"},
    "NUM_PROXIES": 0,  # DRF's own address reading: REMOTE_ADDR; production follows TAWASUL_TRUSTED_PROXIES
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Tawasul institution API",
    "DESCRIPTION": _(
        "Approved unified government messages for institutions: messages, change feed, search, "
        "acknowledgements. Authenticate with `Authorization: Api-Key <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["hub.api.schema.institution_api_only"],
    # Enum values are codes ("ar", "pillar"); their English-only "* `ar` - Arabic" lists are left out of the docs.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
}


CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a process trusts its copy of the API state token before reading the database's again (hub/api/state.py):
# a change committed anywhere reaches every process within this time.
TAWASUL_API_STATE_MAX_AGE = float(os.environ.get("TAWASUL_API_STATE_MAX_AGE", "0.5"))

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
TAWASUL_MAIL_DIR = VAR_DIR / "mail"  # where `hub.mail.ConsoleLineBackend` keeps whole messages
DEFAULT_FROM_EMAIL = "tawasul@localhost"

# E-mail subscriptions of the public. Links in e-mails start with the public site's address.
TAWASUL_PUBLIC_BASE_URL = WAGTAILADMIN_BASE_URL
TAWASUL_SUBSCRIPTIONS_BATCH = 50  # e-mails per task run, over one SMTP connection
TAWASUL_SUBSCRIPTIONS_UNCONFIRMED_DAYS = 7
TAWASUL_SUBSCRIBE_RATE_PER_CLIENT = (10, 3600)  # subscribe requests per client address per hour
TAWASUL_SUBSCRIBE_RATE_PER_ADDRESS = (3, 86400)  # confirmation requests per e-mail address per day

# How many proxies of ours stand in front of the application, each appending to X-Forwarded-For; the client
# address is read through them (hub/client_address.py). 0: REMOTE_ADDR is the client. Production reads
# TAWASUL_TRUSTED_PROXIES (docs/security.md).
TAWASUL_TRUSTED_PROXIES = 0

# Brute-force protection on the admin login: failures count per (username, client address) pair, so failures
# from one address lock that pair only; nobody can lock another user out from elsewhere, or with names that do
# not exist.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "hub.client_address.client_address"

# Failed API-key attempts per client address (an unknown, revoked or malformed key), then 429 until the window
# has passed: (attempts, seconds).
TAWASUL_API_KEY_FAILURES = (20, 60)

# Content Security Policy for every response; the public site and the admin need no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

# Celery: JSON payloads carrying ids, late acknowledgement (a task lost with its worker runs again), bounded run
# time, short broker timeouts so that a request whose on-commit enqueue finds Redis down still answers quickly
# (the outbox sweeper sends what was left behind).
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "socket_connect_timeout": 2, "socket_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_IMPORTS = ["hub.tasks_backend"]
# Two queues: `celery` (the event relay, search indexing, periodic sweeps, Wagtail's tasks) and `webhooks` (the
# deliveries), so a delivery never waits behind reindexing when each queue has a worker of its own. A worker
# started without `-Q` consumes every queue listed here, so a plain `celery -A hub worker` still does all the work.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {
    "celery": {"exchange": "celery", "routing_key": "celery"},
    "webhooks": {"exchange": "webhooks", "routing_key": "webhooks"},
}
CELERY_TASK_ROUTES = {"webhooks.tasks.webhook_deliver": {"queue": "webhooks"}}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic work. Every entry works from database state, so runs missed while beat was down are made up by the next
# one; `expires` drops ticks that waited in the queue longer than a period (the next tick does the same work).
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled": {
        "task": "messaging.tasks.scheduled_publish",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "embargo-lifts": {
        "task": "messaging.tasks.embargo_lifts_record",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "search-index-catch-up": {
        "task": "search.tasks.index_catch_up",
        "schedule": 30.0,
        "options": {"expires": 29},
    },
    "outbox-sweep": {
        "task": "messaging.tasks.outbox_sweep",
        "schedule": 15.0,
        "options": {"expires": 14},
    },
    "webhook-retries-due": {
        "task": "webhooks.tasks.webhook_retries_due",
        "schedule": 15.0,
        "options": {"expires": 14},
    },
    "contact-notifications-pending": {
        "task": "institution_space.tasks.contact_notifications_pending",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "statement-sources-due": {
        "task": "monitoring.tasks.sources_scan_due",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "subscriptions-outbox": {
        "task": "subscriptions.tasks.outbox_dispatch",
        "schedule": 30.0,
        "options": {"expires": 29},
    },
    "subscriptions-send": {
        "task": "subscriptions.tasks.notifications_send",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "subscriptions-digest": {
        "task": "subscriptions.tasks.digests_send",
        "schedule": crontab(hour=7, minute=0),
    },
    "subscriptions-purge": {
        "task": "subscriptions.tasks.unconfirmed_purge",
        "schedule": crontab(hour=3, minute=30),
    },
}

# Monitoring of institutions' published statements (`monitoring`): how often each source is read, at most one
# request per host per interval (whole seconds with Redis), and the limits of one response.
TAWASUL_MONITORING_SOURCE_INTERVAL = 900  # seconds between two reads of one source
TAWASUL_MONITORING_HOST_INTERVAL = 2  # seconds between two requests to one host, across workers
TAWASUL_MONITORING_TIMEOUT = 20  # seconds for one whole response
TAWASUL_MONITORING_MAX_BYTES = 2 * 1024 * 1024

# Webhooks. Endpoint URLs must be public addresses; tests relax this to reach a receiver on loopback.
TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
TAWASUL_WEBHOOKS_TIMEOUT = 10  # seconds per request
TAWASUL_WEBHOOKS_CLAIM_SECONDS = 120  # an attempt in flight longer than this is taken to be lost
# Seconds to wait after each failed attempt (±10 % jitter): 5 s, 30 s, 2 min, 10 min, 30 min, 2 h, 5 h, 10 h.
TAWASUL_WEBHOOKS_RETRY_DELAYS = [5, 30, 120, 600, 1800, 7200, 18000, 36000]
TAWASUL_WEBHOOKS_ROTATION_GRACE_HOURS = 24

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"tawasul": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
