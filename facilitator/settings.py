"""Settings for Stay, read from the environment with safe defaults.

Defaults give a newcomer a working app with nothing else installed (SQLite file,
in-memory channel layer). Production sets DATABASE_URL (PostgreSQL), REDIS_URL,
SECRET_KEY and ALLOWED_HOSTS; see README.md.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from facilitator.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_origin,
    env_str,
    env_time_zone,
    env_url,
    ice_settings,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or set DEBUG=1 for local use)."
        )
    # Local development: generate once, keep it in an ignored file so sessions survive restarts.
    path = BASE_DIR / ".dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where partners' phones reach Stay, for share links and QR codes; unset, a link
# carries the host the page was asked for. `make run LAN=1` sets it to this
# machine's address on the local network (facilitator/serve.py). Its host is
# always an allowed host: a link Stay hands out must open.
PUBLIC_URL = env_origin("STAY_PUBLIC_URL")
if PUBLIC_URL:
    _public = urlsplit(PUBLIC_URL)
    _public_host = f"[{_public.hostname}]" if ":" in _public.hostname else _public.hostname
    if _public_host not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:
        ALLOWED_HOSTS.append(_public_host)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "sessions.apps.CoregulationConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Each page in its reader's language: the language cookie (set by the join page or the
    # footer's picker), else the browser's Accept-Language, else English.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "facilitator.urls"
ASGI_APPLICATION = "facilitator.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sessions.web.context.stay_settings",
            ],
            # The help link for a page rendered without a request (the 500 page).
            "libraries": {"stay_help": "sessions.web.context"},
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite by default, tuned for several concurrent writers (WAL, IMMEDIATE
# transactions, a busy timeout); DATABASE_URL switches to PostgreSQL.
_default_sqlite = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
# Connections are kept between requests and socket frames: opening a PostgreSQL
# connection per database call was most of an action's time (docs/benchmarks.md).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        # No `SELECT 1` before every call: sockets retry once on a dead connection
        # instead (sessions/live/dbcall.py); that ping was a round trip on every tap.
        conn_health_checks=False,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests write from several threads and processes: use a file, not :memory:
    # (one per test run, so two runs on one machine never share it).
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_stay_{os.getpid()}"}
    # The hot statements of every tap and heartbeat (sessions/store/hot_path.py and
    # store/leases.py) run as server-side prepared statements, so PostgreSQL does not plan
    # them again on every call (docs/benchmarks.md). Django's ORM keeps its client-side
    # binding, which never prepares. Behind PgBouncer in transaction mode older than 1.21
    # (no prepared statement support), set this to 0.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer --------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub layer: no per-channel capacity to overflow silently; the
            # client's `sync` heartbeat repairs anything a broadcast misses.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "max_connections": 1000}]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "sessions.live.layers.FastInMemoryChannelLayer"}}

# Shared by every process when Redis is configured (rate limits must hold across them).
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline scripts or styles anywhere: every script is a static ES module.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A counselor's invitation link (sessions/web/invite.py) is Django's one-time
# password link: it works once, for this many seconds (default 3 days).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 60 * 60, minimum=300)
LOGIN_URL = "counselor:login"
LOGIN_REDIRECT_URL = "counselor:dashboard"
LOGOUT_REDIRECT_URL = "/"

# --- Email (optional) --------------------------------------------------------------
# Used only to also send a counselor their invitation; with no EMAIL_HOST the
# invitation page shows the link for the inviting admin to pass on.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "stay@localhost")

LANGUAGE_CODE = "en"
# The languages a person can read Stay in (README "Languages" says how to add one). The
# catalogs live in locale/ as .po files; `make run` and `make test` compile them.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "stay_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Dates a counselor types and reads (a couple's next session) are in this zone.
TIME_ZONE = env_time_zone("STAY_TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "WARNING", LOG_LEVELS)},
}

# --- Stay itself ------------------------------------------------------------------
STAY = {
    # A partner gone longer than this pauses an active room (a phone screen locking
    # briefly must not stop it).
    "PRESENCE_GRACE_SECONDS": env_int("STAY_PRESENCE_GRACE_SECONDS", 15, minimum=1),
    # A socket's presence lease; renewed by the client's `sync` heartbeat (~10 s).
    "LEASE_SECONDS": env_int("STAY_LEASE_SECONDS", 30, minimum=5),
    "BREATHING_LEAD_IN_SECONDS": env_int("STAY_BREATHING_LEAD_IN_SECONDS", 3, minimum=0),
    # The longer break offered when someone is flooded: at least 20 minutes, time for the
    # body to settle, and no more than a day (Gottman; ../shared/domain-notes.md).
    "BREAK_MINUTES": env_int("STAY_BREAK_MINUTES", 20, minimum=20, maximum=24 * 60),
    "UNSTARTED_EXPIRY_DAYS": env_int("STAY_UNSTARTED_EXPIRY_DAYS", 7, minimum=1),
    "FINISHED_RETENTION_DAYS": env_int("STAY_FINISHED_RETENTION_DAYS", 30, minimum=1),
    "CREATE_RATE_PER_HOUR": env_int("STAY_CREATE_RATE_PER_HOUR", 30, minimum=1),
    # Join links that lead nowhere, seat codes and requests to be let in, per address.
    "JOIN_RATE_PER_MINUTE": env_int("STAY_JOIN_RATE_PER_MINUTE", 30, minimum=1),
    "HELP_URL": env_url("STAY_HELP_URL", "https://findahelpline.com/"),
    # The urgent-help link's words: a deployer's STAY_HELP_TEXT is shown as typed; unset (or
    # blank), "" here and Stay's own sentence on the page, in each reader's language
    # (sessions/web/context.py).
    "HELP_TEXT": env_str("STAY_HELP_TEXT").strip(),
    "QUICK_EXIT_URL": env_url("STAY_QUICK_EXIT_URL", "https://www.bbc.com/weather"),
    "PUBLIC_URL": PUBLIC_URL,
    # Calls (README "Calls"): STUN_URLS, TURN_URLS, TURN_SECRET (coturn's static-auth-secret,
    # never sent anywhere: sessions/live/ice.py issues short-lived credentials made with it),
    # TURN_TTL_SECONDS and ICE_POLICY ("all", or "relay" to hide each person's address).
    # None set: host candidates only, enough on one network.
    **ice_settings(),
}
