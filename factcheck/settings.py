"""One settings module, driven by the environment: helpers first, then each section once.

No configuration gives a demo-friendly SQLite set-up with DEBUG on. ``DATABASE_URL`` selects PostgreSQL,
``REDIS_URL`` a Redis cache, and ``DJANGO_ENV=production`` refuses to start without the variables a
deployment must set. Every variable read here is read through an ``env_*`` helper and listed, with its
default, in docs/configuration.md (tests/test_configuration.py checks that the two agree). A value that
does not parse stops the start with an error naming the variable and the rule.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Reading the environment ---------------------------------------------------------------------
# An unset or empty variable means its default.


def _raw(name: str) -> str | None:
    raw = os.environ.get(name, "")
    return raw if raw.strip() else None


def env_str(name: str, default: str) -> str:
    raw = _raw(name)
    return default if raw is None else raw


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = _raw(name)
    value = default if raw is None else raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be {', '.join(choices[:-1])} or {choices[-1]}, got {raw!r}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {raw!r}.")
    return value


def env_seconds(name: str, default: float, *, positive: bool = False) -> float:
    """A number of seconds, fractions allowed: never negative, and more than 0 where ``positive``."""
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, got {raw!r}.") from None
    if positive and not value > 0:
        raise ImproperlyConfigured(f"{name} must be more than 0, got {raw!r}.")
    if value < 0:
        raise ImproperlyConfigured(f"{name} must not be negative, got {raw!r}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Items separated by commas; spaces around them and empty items are dropped."""
    raw = _raw(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    """A URL with one of ``schemes``; the error names the scheme only, since a URL may carry a password."""
    raw = _raw(name)
    if raw is None:
        return default
    scheme = urlsplit(raw.strip()).scheme if "://" in raw else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must be a {' or '.join(s + '://' for s in schemes)} URL, got "
            + (f"scheme {scheme!r}." if scheme else f"{raw!r}.")
        )
    return raw.strip()


def env_ports(name: str) -> list[int]:
    raw = _raw(name) or ""
    ports = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        if not item.isdigit() or not 0 < int(item) < 65536:
            raise ImproperlyConfigured(f"{name} must be port numbers separated by commas, got {raw!r}.")
        ports.append(int(item))
    return ports


def env_rate(name: str, default: str) -> str:
    raw = _raw(name) or default
    count, _, period = raw.partition("/")
    if not count.isdigit() or period not in {"second", "minute", "hour", "day", "s", "m", "h", "d"}:
        raise ImproperlyConfigured(f"{name} must look like 60/minute (a number, /second, /minute, /hour or /day).")
    return raw


def database_settings(url: str, health_checks: bool, postgresql_options: dict) -> dict:
    """A DATABASES entry for ``url``: persistent connections (a minute), and PostgreSQL's own options."""
    database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=health_checks)
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["OPTIONS"] = {**database.get("OPTIONS", {}), **postgresql_options}
    return database


# --- Environment, secrets, hosts -----------------------------------------------------------------
DJANGO_ENV = env_choice("DJANGO_ENV", "development", ("development", "test", "production"))
PRODUCTION = DJANGO_ENV == "production"

_secret_key = env_str("SECRET_KEY", "")
_allowed_hosts = env_list("ALLOWED_HOSTS", [])
_database_url = env_url("DATABASE_URL", "", ("postgres", "postgresql", "sqlite"))
if PRODUCTION:
    _required = {"SECRET_KEY": _secret_key, "ALLOWED_HOSTS": _allowed_hosts, "DATABASE_URL": _database_url}
    missing = [name for name, value in _required.items() if not value]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs these environment variables: " + ", ".join(missing) + "."
        )

SECRET_KEY = _secret_key or "dev-only-insecure-key-do-not-use-in-production"
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = _allowed_hosts or ["127.0.0.1", "localhost", "testserver"]
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", ("http", "https")).rstrip("/")

# --- Applications and middleware -----------------------------------------------------------------
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
    "django_tasks_db",  # the task queue of webhook deliveries
    "factcheck.partners",
    "django.contrib.sitemaps",  # its templates; the site's own addresses come from SITE_URL
    "corsheaders",  # CORS for anonymous reads of the API and the feeds (the CORS section below)
]

MIDDLEWARE = [
    # Every request has an id (X-Request-ID, accepted or generated), echoed and written in every log record.
    "factcheck.request_id.RequestIdMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Before the rest: every layer below (the links a page shows, its ETag) sees the address without them.
    "factcheck.middleware.StripTrackingParametersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # An answer for one client (a cookie set or deleted, a CSP nonce) is never public: above both.
    "factcheck.surrogate.PersonalAnswersArePrivateMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The admin in its user's language (cookie or Accept-Language), not only the site's.
    "factcheck.claims.admin.language.AdminLanguageMiddleware",
    "factcheck.api.middleware.ApiLanguageMiddleware",
    # Rate-limit headers (RateLimit-*) on API answers, from the throttles that counted the request.
    "factcheck.api.middleware.RateLimitHeadersMiddleware",
    # Public GET answers name what they show for the HTTP cache in front (factcheck/surrogate.py).
    "factcheck.surrogate.SurrogateKeyMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character in a query string is a 400 (PostgreSQL cannot compare text with NUL: admin filters and
    # the public search answered 500).
    "factcheck.middleware.RejectNulInQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "factcheck.routing.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # As django-axes asks, after the others: it turns a locked-out login into a clear refusal.
    "axes.middleware.AxesMiddleware",
    # A write that waited its whole busy timeout for the database's lock answers 503 with Retry-After, not
    # 500. Last, so its process_exception sees the view's error first.
    "factcheck.middleware.DatabaseBusyMiddleware",
]

# --- URLs and templates ----------------------------------------------------------------------------
ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

# The reader pages are Jinja2 templates (templates/jinja2/, environment in factcheck/web/jinja.py): a page is
# rendered on each miss of the HTTP cache in front, and Jinja2 renders them in about half the time. The
# admin, the API's pages and the apps' own templates stay with Django's engine (templates/), asked first.
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
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "factcheck.web.jinja.environment",
            "context_processors": ["django.template.context_processors.i18n"],
        },
    },
]

# --- Databases -------------------------------------------------------------------------------------
# Connections persist for a minute. Health checks (a "SELECT 1" before each request's first query) are off,
# as in Django's default: they cost a round trip per request, and a connection broken by a database restart
# fails one request and is then replaced. DATABASE_HEALTH_CHECKS=1 turns them on (see docs/deployment.md).
_health_checks = env_bool("DATABASE_HEALTH_CHECKS", default=False)
# Prepared statements (PostgreSQL): inside the reader pages' reads, a statement run more than
# DATABASE_PREPARE_THRESHOLD times on a connection is prepared, and planned once five runs later
# (factcheck/lib/prepared.py says where, and why only there). It needs Django's server-side parameter
# binding. 0 turns preparation off, as a transaction-pooling PgBouncer before 1.22 (or without
# max_prepared_statements) needs.
DATABASE_PREPARE_THRESHOLD = env_int("DATABASE_PREPARE_THRESHOLD", 5, minimum=0)
_postgresql_options = {"server_side_binding": True} if DATABASE_PREPARE_THRESHOLD else {}
if _database_url:
    DATABASES = {"default": database_settings(_database_url, _health_checks, _postgresql_options)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
# Several writers at once (a small newsroom, threaded runserver): readers never wait for a writer (WAL);
# a transaction takes the write lock when it begins (IMMEDIATE), so one that read first cannot fail at
# once on upgrading its lock ("database is locked") but waits its turn, up to the busy timeout. A lock
# still held after that answers 503 with Retry-After (factcheck.middleware.DatabaseBusyMiddleware).
_busy_timeout_seconds = env_seconds("SQLITE_BUSY_TIMEOUT_SECONDS", 20.0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "timeout": _busy_timeout_seconds,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
_replica_url = env_url("DATABASE_REPLICA_URL", "", ("postgres", "postgresql"))
if _replica_url:
    if not _database_url:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary) to be set too.")
    DATABASES["replica"] = database_settings(_replica_url, _health_checks, _postgresql_options)
    # In tests the replica is the primary's test database, as it would be after replication.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["factcheck.routing.ReplicaRouter"]
# Public GET requests read from the replica when one is configured (see factcheck/routing.py).
REPLICA_READS = env_bool("REPLICA_READS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -------------------------------------------------------------------------------------------
_redis_url = env_url("REDIS_URL", "", ("redis", "rediss"))
# The cache holds throttle counters and login lock-outs; the HTTP cache in front (Varnish) holds the answers.
# Redis is optional at run time: a Redis error is a cache miss (factcheck/redis_cache.py). Short socket
# timeouts bound what a frozen Redis costs a request; after a failure Redis is skipped for a cool-down.
_redis_timeout_seconds = env_seconds("REDIS_TIMEOUT_SECONDS", 0.25, positive=True)
if _redis_url:
    REDIS_TIMEOUT_SECONDS = _redis_timeout_seconds
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
# How long browsers may reuse a public page or API answer before revalidating it (factcheck/caching.py).
PAGE_MAX_AGE_SECONDS = env_int("PAGE_MAX_AGE_SECONDS", 0, minimum=0)

# The HTTP cache in front (Varnish, or a CDN reading the same surrogate keys; see factcheck/surrogate.py and
# docs/deployment.md). PURGE_BACKEND selects who is told, after each commit, what a change touched: none
# (the default), varnish (VARNISH_PURGE_URLS, comma-separated), fastly (FASTLY_SERVICE_ID, FASTLY_API_TOKEN)
# or cloudflare (CLOUDFLARE_ZONE_ID, CLOUDFLARE_API_TOKEN).
_purge_backend = env_choice("PURGE_BACKEND", "none", ("none", "varnish", "fastly", "cloudflare"))
_purge_environment = {
    "VARNISH_PURGE_URLS": env_str("VARNISH_PURGE_URLS", ""),
    "FASTLY_SERVICE_ID": env_str("FASTLY_SERVICE_ID", ""),
    "FASTLY_API_TOKEN": env_str("FASTLY_API_TOKEN", ""),
    "CLOUDFLARE_ZONE_ID": env_str("CLOUDFLARE_ZONE_ID", ""),
    "CLOUDFLARE_API_TOKEN": env_str("CLOUDFLARE_API_TOKEN", ""),
}
_purgers = {
    "varnish": ("VarnishPurger", {"urls": "VARNISH_PURGE_URLS"}),
    "fastly": ("FastlyPurger", {"service_id": "FASTLY_SERVICE_ID", "token": "FASTLY_API_TOKEN"}),
    "cloudflare": ("CloudflarePurger", {"zone_id": "CLOUDFLARE_ZONE_ID", "token": "CLOUDFLARE_API_TOKEN"}),
}
SURROGATE_PURGER = None
if _purge_backend != "none":
    _class, _options = _purgers[_purge_backend]
    _missing = [variable for variable in _options.values() if not _purge_environment[variable]]
    if _missing:
        raise ImproperlyConfigured(f"PURGE_BACKEND={_purge_backend} needs " + ", ".join(_missing) + ".")
    SURROGATE_PURGER = {
        "BACKEND": f"factcheck.purgers.{_class}",
        "OPTIONS": {name: _purge_environment[variable] for name, variable in _options.items()},
    }
# How long a shared cache may keep a public answer (s-maxage): long once purges tell it of every change,
# else no longer than browsers may. It may serve a stale one while it fetches anew (stale-while-revalidate),
# and while the origin fails (stale-if-error).
PAGE_SHARED_MAX_AGE_SECONDS = env_int(
    "PAGE_SHARED_MAX_AGE_SECONDS", 24 * 60 * 60 if SURROGATE_PURGER else PAGE_MAX_AGE_SECONDS, minimum=0
)
PAGE_STALE_WHILE_REVALIDATE_SECONDS = env_int("PAGE_STALE_WHILE_REVALIDATE_SECONDS", 30, minimum=0)
PAGE_STALE_IF_ERROR_SECONDS = env_int("PAGE_STALE_IF_ERROR_SECONDS", 24 * 60 * 60, minimum=0)
# A search of several words whose plan takes longer than this runs again from the full-text index
# (factcheck.claims.selectors.fetch_search; PostgreSQL).
SEARCH_WALK_TIMEOUT_MS = env_int("SEARCH_WALK_TIMEOUT_MS", 250, minimum=0)
# "Already checked?" (factcheck.claims.similar.similar_claims) gives up after this long on PostgreSQL and
# answers that it is incomplete, rather than holding a worker.
SIMILAR_TIMEOUT_MS = env_int("SIMILAR_TIMEOUT_MS", 2000, minimum=1)

# --- Sign-in ---------------------------------------------------------------------------------------
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
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
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

# --- Languages -------------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The publisher named in ClaimReview markup and the claims:search feed.
PUBLISHER_NAME = env_str("PUBLISHER_NAME", "Cek Fakta Portal")

# --- Security ----------------------------------------------------------------------------------------
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

# --- Logging and tests -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Each record names its request (X-Request-ID; factcheck/request_id.py).
    "filters": {"request_id": {"()": "factcheck.request_id.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

if DJANGO_ENV == "test":
    # Hashing demo and fixture passwords at full strength would dominate the suite's run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Partner API ---------------------------------------------------------------------------------------
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
    "DEFAULT_RENDERER_CLASSES": ["factcheck.api.renderers.JSONRenderer"],
    # Deeply nested JSON is a 400, not a RecursionError (500).
    "DEFAULT_PARSER_CLASSES": ["factcheck.api.parsers.JSONParser"],
    # An unknown ?format= is a 400 that names the parameter, not DRF's bare 404.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "factcheck.api.negotiation.StrictFormatNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # The schema: anonymous reads, limits, headers, error answers and servers (factcheck/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "factcheck.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "factcheck.api.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    # Behind a reverse proxy set API_NUM_PROXIES=1 so the throttle counts the client's address, not the proxy's;
    # 0 ignores X-Forwarded-For, which a client could otherwise forge to escape the anonymous limit.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0, minimum=0),
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
# The largest request body Django reads into memory (uploaded files aside); the API answers a larger one with
# 413 in its error format. 3 MiB: the import page's confirm step carries an article of up to 2,000,000 bytes
# (text_repair.MAX_ARTICLE_BYTES) as base64, 2,666,668 bytes, with its metadata and the spans kept (Django's
# default, 2.5 MiB, refused the largest articles the preview had accepted).
DATA_UPLOAD_MAX_MEMORY_SIZE = 3_145_728

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
        # Request bodies refuse unknown fields; the schema says so (additionalProperties: false).
        "factcheck.api.schema.close_request_bodies",
        "factcheck.api.schema.document_body_limit",
        "factcheck.api.schema.declare_conventions",
        "factcheck.api.schema.declare_limits",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "factcheck.claims.models.Claim.Status",
        "WebhookEventTypeEnum": "factcheck.partners.models.WebhookEventType",
        "WebhookSubscribedEventEnum": "factcheck.api.serializers.SUBSCRIBABLE_CHOICES",
    },
}

# CORS (django-cors-headers): anyone's web page may read the public API and the feeds, without credentials:
# no cookies (no Access-Control-Allow-Credentials) and no Authorization header (keys stay out of browsers).
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

# --- Tasks and webhooks ------------------------------------------------------------------------------
# Background work (webhook deliveries) runs through Django's task framework on the database backend:
# the task row is written in the same transaction as the change, and `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A partner's endpoint gets 3 s to accept the connection and 5 s between bytes of its answer, so a
# hanging target holds a worker for seconds, not minutes.
WEBHOOK_CONNECT_TIMEOUT_SECONDS = float(env_int("WEBHOOK_CONNECT_TIMEOUT_SECONDS", 3, minimum=1))
WEBHOOK_READ_TIMEOUT_SECONDS = float(env_int("WEBHOOK_READ_TIMEOUT_SECONDS", 5, minimum=1))
# And the whole attempt (connection, sending, the answer's headers) at most this long.
WEBHOOK_TOTAL_TIMEOUT_SECONDS = float(env_int("WEBHOOK_TOTAL_TIMEOUT_SECONDS", 10, minimum=1))
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 10, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 60, minimum=0)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 6 * 60 * 60, minimum=0)
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
WEBHOOK_SECRET_OVERLAP_HOURS = env_int("WEBHOOK_SECRET_OVERLAP_HOURS", 24, minimum=0)

# --- Reader tip line -----------------------------------------------------------------------------------
# Tips and correction requests from readers (factcheck/tips): how many a client address may send
# (counted in the cache; fails open without Redis), how soon after opening the form one may be sent,
# how long a form stays valid, and how many days what readers wrote is kept (manage.py anonymise_tips).
TIP_RATE = env_rate("TIP_RATE", "5/hour")
TIP_MIN_SECONDS = env_int("TIP_MIN_SECONDS", 3, minimum=0)
TIP_FORM_MAX_AGE_SECONDS = env_int("TIP_FORM_MAX_AGE_SECONDS", 24 * 60 * 60, minimum=1)
TIP_RETENTION_DAYS = env_int("TIP_RETENTION_DAYS", 180, minimum=1)
