"""Django settings for Stuurwiel.

Everything that differs between a laptop demo and production comes from the
environment through :mod:`stuurwiel.env`. Defaults suit the embedded SQLite demo;
outside debug/demo mode ``SECRET_KEY`` must be set explicitly.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from stuurwiel.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("STUURWIEL_DATA_DIR", "var")).resolve()

DEBUG = env_bool("STUURWIEL_DEBUG", False)
DEMO = env_bool("STUURWIEL_DEMO", False)

if DEBUG or DEMO:
    SECRET_KEY = env_str("SECRET_KEY", "insecure-demo-key-only-for-local-use")
else:
    SECRET_KEY = env_str("SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "stuurwiel.core",
    "stuurwiel.organisations",
    "stuurwiel.changelog",
    "stuurwiel.parties",
    "stuurwiel.frameworks",
    "stuurwiel.graph",
    "stuurwiel.diagrams",
    "stuurwiel.calendars",
    "stuurwiel.services",
    "stuurwiel.agreements",
    "stuurwiel.calls",
    "stuurwiel.jobs",
    "stuurwiel.notifications",
    "stuurwiel.dashboard",
    "stuurwiel.coherence",
    "stuurwiel.webhooks",
    "stuurwiel.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "stuurwiel.core.middleware.UnstorableInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "stuurwiel.changelog.middleware.ChangeContextMiddleware",
]

ROOT_URLCONF = "stuurwiel.urls"
WSGI_APPLICATION = "stuurwiel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "stuurwiel.organisations.context_processors.current_organisation",
            ],
        },
    },
]

# Connections are kept between requests (opening one per request cost a third of
# an API write on PostgreSQL); the health check reconnects after a database
# restart instead of failing the first request. DATABASE_CONN_MAX_AGE=0 closes
# each connection at the end of its request.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'stuurwiel.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default keeps its file under DATA_DIR; a fresh clone has none yet.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the demo server read while a load command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
FORMAT_MODULE_PATH = ["stuurwiel.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not (DEBUG or DEMO))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# HTTPS-only deployments turn these on (``manage.py check --deploy`` reminds you).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
if env_bool("STUURWIEL_BEHIND_TLS_PROXY", False):
    # Behind a reverse proxy that ends TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "stuurwiel.core.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "stuurwiel.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "stuurwiel.web.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Stuurwiel API",
    "DESCRIPTION": "Governance, value creation and service delivery as one connected model.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Serve Swagger UI and Redoc from our own static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One shared choice set used by several fields gets one name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "stuurwiel.parties.choices.Level",
        "VersionStatusEnum": "stuurwiel.agreements.choices.VersionStatus",
        "EndKindEnum": "stuurwiel.services.choices.EndKind",
        "ServiceStatusEnum": "stuurwiel.services.choices.ServiceStatus",
    },
}

# Where people reach this installation; links in e-mails (invitations) start here.
STUURWIEL_BASE_URL = env_str("STUURWIEL_BASE_URL", "http://127.0.0.1:8000")

# E-mail: the console in the demo and in debug mode, SMTP otherwise.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEMO or DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Stuurwiel <stuurwiel@localhost>")

# API request bodies: at most this many bytes and this many levels of nesting.
STUURWIEL_API_MAX_BODY = 1_000_000
STUURWIEL_API_MAX_DEPTH = 32

# Files attached to calls: kept under MEDIA_ROOT, never served by the web server
# itself (the call page streams them as downloads after the access check).
MEDIA_ROOT = Path(env_str("STUURWIEL_MEDIA_ROOT", str(DATA_DIR / "media"))).resolve()
STUURWIEL_ATTACHMENT_MAX_BYTES = env_int("STUURWIEL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
STUURWIEL_ATTACHMENT_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "text/plain",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "message/rfc822",
)

# Paging of HTML list pages; the API uses REST_FRAMEWORK["PAGE_SIZE"].
STUURWIEL_LIST_PAGE_SIZE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Background jobs (stuurwiel.jobs): the database is the queue, ``stuurwiel worker``
# runs them; finished jobs are pruned after STUURWIEL_JOBS_KEEP_DAYS days.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
STUURWIEL_JOBS_KEEP_DAYS = env_int("STUURWIEL_JOBS_KEEP_DAYS", 14)

# Webhooks go to public addresses only; this comma-separated list of host names,
# addresses or networks (CIDR) may be reached besides (e.g. a receiver inside
# the organisation's network). Empty by default: see stuurwiel.webhooks.addresses.
STUURWIEL_WEBHOOK_ALLOW_HOSTS = env_list("STUURWIEL_WEBHOOK_ALLOW_HOSTS", [])

# Secrets the server reads back (webhook signing secrets) are encrypted at rest
# with these Fernet keys: the first seals, all open (rotation). Empty: a key
# derived from SECRET_KEY (see stuurwiel.core.sealing; set your own in production).
STUURWIEL_SEALING_KEYS = env_list("STUURWIEL_SEALING_KEYS", [])
