"""One settings module, driven by the environment.

No configuration gives a demo-friendly SQLite set-up with DEBUG on.
``DATABASE_URL`` selects PostgreSQL, ``REDIS_URL`` a Redis cache, and
``DJANGO_ENV=production`` refuses to start without the variables a
deployment must set.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}.")


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development").strip().lower()
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, test or production, got {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not os.environ.get(name)]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs these environment variables: " + ", ".join(missing) + "."
        )

SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()
]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, got {SITE_URL!r}.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "simple_history",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Before claims: the roles created after `migrate` (claims' post_migrate) include the tips' permissions,
    # which must exist by then.
    "factcheck.tips",
    "factcheck.claims",
    "factcheck.people",
    "factcheck.web",
    "factcheck.api",
]

MIDDLEWARE = [
    # First: every layer below (the answer cache's key, the links a page shows) sees the address without them.
    "factcheck.middleware.StripTrackingParametersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The admin in its user's language (cookie or Accept-Language), not only the site's.
    "factcheck.claims.admin.language.AdminLanguageMiddleware",
    "factcheck.api.middleware.ApiLanguageMiddleware",
    # After the language is chosen (it is part of the key), before everything a cached answer does not need.
    "factcheck.caching.AnswerCacheMiddleware",
    # Below it, so that an answer kept there keeps its surrogate keys (factcheck/surrogate.py).
    "factcheck.surrogate.SurrogateKeyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "factcheck.routing.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear refusal.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

_database_url = os.environ.get("DATABASE_URL", "")
# Connections persist for a minute. Health checks (a "SELECT 1" before each request's first query) are off,
# as in Django's default: they cost a round trip per request, and a connection broken by a database restart
# fails one request and is then replaced. DATABASE_HEALTH_CHECKS=1 turns them on (see docs/deployment.md).
_health_checks = env_bool("DATABASE_HEALTH_CHECKS", default=False)
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// (or sqlite://) URL, got scheme {_database_url.split(':', 1)[0]!r}."
        )
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=_health_checks)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once (a small newsroom, threaded runserver): readers never wait for a writer (WAL);
    # a transaction takes the write lock when it begins (IMMEDIATE), so one that read first cannot fail at
    # once on upgrading its lock ("database is locked") but waits its turn, up to the busy timeout. A lock
    # still held after that answers 503 with Retry-After (factcheck.middleware.DatabaseBusyMiddleware).
    _busy_timeout = os.environ.get("SQLITE_BUSY_TIMEOUT_SECONDS", "") or "20"
    try:
        _busy_timeout_seconds = float(_busy_timeout)
    except ValueError:
        raise ImproperlyConfigured(
            f"SQLITE_BUSY_TIMEOUT_SECONDS must be a number of seconds, got {_busy_timeout!r}."
        ) from None
    if _busy_timeout_seconds < 0:
        raise ImproperlyConfigured(f"SQLITE_BUSY_TIMEOUT_SECONDS must not be negative, got {_busy_timeout!r}.")
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "timeout": _busy_timeout_seconds,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
if _replica_url:
    if not _database_url:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary) to be set too.")
    if not _replica_url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a postgres:// URL.")
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60, conn_health_checks=_health_checks)
    # In tests the replica is the primary's test database, as it would be after replication.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["factcheck.routing.ReplicaRouter"]
# Public GET requests read from the replica when one is configured (see factcheck/routing.py).
REPLICA_READS = env_bool("REPLICA_READS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis_url = os.environ.get("REDIS_URL", "")
if _redis_url:
    if not _redis_url.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"REDIS_URL must be a redis:// URL, got {_redis_url!r}.")
    # Redis is optional at run time: a Redis error is a cache miss (factcheck/redis_cache.py). Short socket
    # timeouts bound what a frozen Redis costs a request; after a failure Redis is skipped for a cool-down.
    _redis_timeout = os.environ.get("REDIS_TIMEOUT_SECONDS", "") or "0.25"
    try:
        REDIS_TIMEOUT_SECONDS = float(_redis_timeout)
    except ValueError:
        raise ImproperlyConfigured(
            f"REDIS_TIMEOUT_SECONDS must be a number of seconds, got {_redis_timeout!r}."
        ) from None
    if REDIS_TIMEOUT_SECONDS <= 0:
        raise ImproperlyConfigured(f"REDIS_TIMEOUT_SECONDS must be more than 0, got {_redis_timeout!r}.")
    CACHES = {
        "default": {
            "BACKEND": "factcheck.redis_cache.RedisCache",
            "LOCATION": _redis_url,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "CIRCUIT_BREAKER_SECONDS": 5.0,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "factcheck"}}
# Content generations (factcheck/caching.py) need a cache every process shares: Redis. A local-memory
# cache is private to a process, which could not see a change made by another one.
CACHE_GENERATIONS = bool(_redis_url)

# Public pages and API representations in the cache (see factcheck/caching.py): how long an entry
# may live (it is never served once its content changed), and how long browsers may reuse a page.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 24 * 60 * 60))
PAGE_MAX_AGE_SECONDS = int(os.environ.get("PAGE_MAX_AGE_SECONDS", 0))

# The HTTP cache in front (Varnish, or a CDN reading the same surrogate keys; see factcheck/surrogate.py and
# docs/deployment.md). PURGE_BACKEND selects who is told, after each commit, what a change touched: none
# (the default), varnish (VARNISH_PURGE_URLS, comma-separated), fastly (FASTLY_SERVICE_ID, FASTLY_API_TOKEN)
# or cloudflare (CLOUDFLARE_ZONE_ID, CLOUDFLARE_API_TOKEN).
_purge_backend = os.environ.get("PURGE_BACKEND", "none").strip().lower()
_purgers = {
    "varnish": ("VarnishPurger", {"urls": "VARNISH_PURGE_URLS"}),
    "fastly": ("FastlyPurger", {"service_id": "FASTLY_SERVICE_ID", "token": "FASTLY_API_TOKEN"}),
    "cloudflare": ("CloudflarePurger", {"zone_id": "CLOUDFLARE_ZONE_ID", "token": "CLOUDFLARE_API_TOKEN"}),
}
if _purge_backend in ("", "none"):
    SURROGATE_PURGER = None
elif _purge_backend in _purgers:
    _class, _options = _purgers[_purge_backend]
    _missing = [env for env in _options.values() if not os.environ.get(env)]
    if _missing:
        raise ImproperlyConfigured(f"PURGE_BACKEND={_purge_backend} needs " + ", ".join(_missing) + ".")
    SURROGATE_PURGER = {
        "BACKEND": f"factcheck.purgers.{_class}",
        "OPTIONS": {name: os.environ[env] for name, env in _options.items()},
    }
else:
    raise ImproperlyConfigured(f"PURGE_BACKEND must be none, varnish, fastly or cloudflare, got {_purge_backend!r}.")
# How long a shared cache may keep a public answer (s-maxage): long once purges tell it of every change,
# else no longer than browsers may. It may serve a stale one while it fetches anew (stale-while-revalidate),
# and while the origin fails (stale-if-error).
PAGE_SHARED_MAX_AGE_SECONDS = int(
    os.environ.get("PAGE_SHARED_MAX_AGE_SECONDS", 24 * 60 * 60 if SURROGATE_PURGER else PAGE_MAX_AGE_SECONDS)
)
PAGE_STALE_WHILE_REVALIDATE_SECONDS = int(os.environ.get("PAGE_STALE_WHILE_REVALIDATE_SECONDS", 30))
PAGE_STALE_IF_ERROR_SECONDS = int(os.environ.get("PAGE_STALE_IF_ERROR_SECONDS", 24 * 60 * 60))
# A search of several words whose plan takes longer than this runs again from the full-text index
# (factcheck.claims.selectors.fetch_search; PostgreSQL).
SEARCH_WALK_TIMEOUT_MS = int(os.environ.get("SEARCH_WALK_TIMEOUT_MS", 250))
# "Already checked?" (factcheck.claims.search.similar_claims) gives up after this long on PostgreSQL and
# answers that it is incomplete, rather than holding a worker.
SIMILAR_TIMEOUT_MS = int(os.environ.get("SIMILAR_TIMEOUT_MS", 2000))
# Each process also keeps the answers it served recently, while Redis pub/sub tells it nothing changed
# (factcheck/local_answers.py): at most this many, and this many bytes of them. 0 bytes turns it off.
LOCAL_ANSWERS_MAX_ENTRIES = int(os.environ.get("LOCAL_ANSWERS_MAX_ENTRIES", 1000))
LOCAL_ANSWERS_MAX_BYTES = int(os.environ.get("LOCAL_ANSWERS_MAX_MB", 32)) * 1024 * 1024

AUTHENTICATION_BACKENDS = [
    # Refuses logins for a while after repeated failures (django-axes), then the normal check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling state is shared by every process: in Redis when REDIS_URL is set, else in the
# database (a per-process local-memory cache would let an attacker spread guesses over workers).
# With Redis down the cache handler fails open (the cache answers a miss: no lock-out, the login goes on).
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler" if _redis_url else "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out username and address may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The publisher named in ClaimReview markup and the claims:search feed.
PUBLISHER_NAME = os.environ.get("PUBLISHER_NAME", "Cek Fakta Portal")

# Content Security Policy (Django's own middleware): scripts only from our origin or with the
# per-request nonce. Styles also allow inline style attributes, which the admin's widgets use;
# they cannot run script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [SITE_URL]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if DJANGO_ENV == "test":
    # Hashing demo and fixture passwords at full strength would dominate the suite's run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Partner API and webhooks (issue 5) ---------------------------------------------------------
INSTALLED_APPS += ["django_tasks_db", "factcheck.partners"]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None


def env_ports(name: str) -> list[int]:
    raw = os.environ.get(name, "").strip()
    ports = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        if not item.isdigit() or not 0 < int(item) < 65536:
            raise ImproperlyConfigured(f"{name} must be port numbers separated by commas, got {raw!r}.")
        ports.append(int(item))
    return ports


def env_rate(name: str, default: str) -> str:
    raw = os.environ.get(name, "") or default
    count, _, period = raw.partition("/")
    if not count.isdigit() or period not in {"second", "minute", "hour", "day", "s", "m", "h", "d"}:
        raise ImproperlyConfigured(f"{name} must look like 60/minute (a number, /second, /minute, /hour or /day).")
    return raw


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "factcheck.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["factcheck.api.permissions.ReadOnlyUnlessNewsroom"],
    "DEFAULT_THROTTLE_CLASSES": [
        "factcheck.api.throttles.AnonymousThrottle",
        "factcheck.api.throttles.PartnerThrottle",
        "factcheck.api.throttles.UserThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "factcheck.api.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    # Behind a reverse proxy set API_NUM_PROXIES=1 so the throttle counts the client's address, not the proxy's;
    # 0 ignores X-Forwarded-For, which a client could otherwise forge to escape the anonymous limit.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}
# Requests per period, counted in the default cache (Redis when REDIS_URL is set, so across processes):
# anonymous clients per IP address, partners per key, signed-in users (editors, reviewers) per user.
API_THROTTLE_RATES = {
    "anonymous": env_rate("API_RATE_ANONYMOUS", "60/minute"),
    "partner": env_rate("API_RATE_PARTNER", "1200/minute"),
    "user": env_rate("API_RATE_USER", "600/minute"),
    # Ping, redeliver and rotate-secret of webhook endpoints, per partner key, on top of the partner rate.
    "webhook_tools": env_rate("API_RATE_WEBHOOK_TOOLS", "10/minute"),
}
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 100

SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check portal API",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "DESCRIPTION": (BASE_DIR / "docs" / "api.md").read_text(encoding="utf-8"),
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "factcheck.api.schema.describe_path_parameters",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "factcheck.claims.models.Claim.Status",
        "WebhookEventTypeEnum": "factcheck.partners.models.WebhookEventType",
        "WebhookSubscribedEventEnum": "factcheck.api.serializers.SUBSCRIBABLE_CHOICES",
    },
}

# Background work (webhook deliveries) runs through Django's task framework on the database backend:
# the task row is written in the same transaction as the change, and `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A partner's endpoint gets 3 s to accept the connection and 5 s between bytes of its answer, so a
# hanging target holds a worker for seconds, not minutes.
WEBHOOK_CONNECT_TIMEOUT_SECONDS = float(env_int("WEBHOOK_CONNECT_TIMEOUT_SECONDS", 3))
WEBHOOK_READ_TIMEOUT_SECONDS = float(env_int("WEBHOOK_READ_TIMEOUT_SECONDS", 5))
# And the whole attempt (connection, sending, the answer's headers) at most this long.
WEBHOOK_TOTAL_TIMEOUT_SECONDS = float(env_int("WEBHOOK_TOTAL_TIMEOUT_SECONDS", 10))
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 10)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 60)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 6 * 60 * 60)
# Plain http endpoints on this machine (http://127.0.0.1, http://localhost) only in development and tests.
WEBHOOK_ALLOW_LOCAL_HTTP = DEBUG or DJANGO_ENV == "test"
# Webhooks go to public addresses on ports 443 and 80 only (factcheck/partners/network.py); more ports
# on request, e.g. WEBHOOK_ALLOWED_PORTS=8443,9443.
WEBHOOK_ALLOWED_PORTS = env_ports("WEBHOOK_ALLOWED_PORTS")
# Lifts the address and port rules, for a receiver on this machine in tests and local development.
# Never in production: it would let partners reach the internal network.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
if WEBHOOK_ALLOW_PRIVATE_TARGETS and PRODUCTION:
    raise ImproperlyConfigured("WEBHOOK_ALLOW_PRIVATE_TARGETS must not be set with DJANGO_ENV=production.")
# After a secret rotation, deliveries are signed with the old secret too, for this long.
WEBHOOK_SECRET_OVERLAP_HOURS = env_int("WEBHOOK_SECRET_OVERLAP_HOURS", 24)

# --- Public reader site (issue 4) -----------------------------------------------
# The sitemap framework (its templates); the site's own addresses come from SITE_URL.
INSTALLED_APPS += ["django.contrib.sitemaps"]

# --- Reliability and security (issue 6) --------------------------------------------------------
# An unknown ?format= is a 400 that names the parameter, not DRF's bare 404.
REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"] = "factcheck.api.negotiation.StrictFormatNegotiation"
# Request bodies refuse unknown fields; the schema says so (additionalProperties: false).
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] += [
    "factcheck.api.schema.close_request_bodies",
    "factcheck.api.schema.document_body_limit",
]
# Deeply nested JSON is a 400, not a RecursionError (500).
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = ["factcheck.api.parsers.JSONParser"]
# The largest request body Django reads into memory (uploaded files aside); the API answers a larger one with
# 413 in its error format. Django's default, stated here because tests and the API docs rely on it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A NUL character in a query string is a 400 (PostgreSQL cannot compare text with NUL: admin filters and the
# public search answered 500).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1, "factcheck.middleware.RejectNulInQueryMiddleware"
)
# A write that waited its whole busy timeout for the database's lock answers 503 with Retry-After, not 500
# (factcheck.middleware.DatabaseBusyMiddleware). Last, so its process_exception sees the view's error first.
MIDDLEWARE.append("factcheck.middleware.DatabaseBusyMiddleware")

# --- Reader tip line (issue 18) -----------------------------------------------------------------
# Tips and correction requests from readers (factcheck/tips): how many a client address may send
# (counted in the cache; fails open without Redis), how soon after opening the form one may be sent,
# how long a form stays valid, and how many days what readers wrote is kept (manage.py anonymise_tips).
TIP_RATE = env_rate("TIP_RATE", "5/hour")
TIP_MIN_SECONDS = env_int("TIP_MIN_SECONDS", 3)
TIP_FORM_MAX_AGE_SECONDS = env_int("TIP_FORM_MAX_AGE_SECONDS", 24 * 60 * 60)
TIP_RETENTION_DAYS = env_int("TIP_RETENTION_DAYS", 180)
if TIP_RETENTION_DAYS < 1:
    raise ImproperlyConfigured(f"TIP_RETENTION_DAYS must be at least 1, got {TIP_RETENTION_DAYS}.")

# --- API surface for partners (issue 16) -------------------------------------------------------
# Every request has an id (X-Request-ID, accepted or generated), echoed and written in every log record.
MIDDLEWARE.insert(0, "factcheck.request_id.RequestIdMiddleware")
LOGGING["filters"] = {"request_id": {"()": "factcheck.request_id.RequestIdLogFilter"}}
LOGGING["formatters"] = {"plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"}}
LOGGING["handlers"]["console"].update(filters=["request_id"], formatter="plain")
# Rate-limit headers (RateLimit-*) on API answers, from the throttles that counted the request.
MIDDLEWARE.insert(
    MIDDLEWARE.index("factcheck.caching.AnswerCacheMiddleware"), "factcheck.api.middleware.RateLimitHeadersMiddleware"
)
# CORS (django-cors-headers): anyone's web page may read the public API and the feeds, without credentials:
# no cookies (no Access-Control-Allow-Credentials) and no Authorization header (keys stay out of browsers).
INSTALLED_APPS += ["corsheaders"]
MIDDLEWARE.insert(1, "corsheaders.middleware.CorsMiddleware")
CORS_URLS_REGEX = r"^/(api/|(en/)?feeds/)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since", "x-request-id"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Link",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "RateLimit-Policy",
    "X-Request-ID",
    "Content-Language",
]
CORS_PREFLIGHT_MAX_AGE = 86400
# The schema: anonymous reads, limits, headers, error answers and servers (factcheck/api/schema.py).
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "factcheck.api.schema.ApiAutoSchema"
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] += [
    "factcheck.api.schema.declare_conventions",
    "factcheck.api.schema.declare_limits",
]
