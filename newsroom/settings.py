"""Settings for Toà soạn, read from the environment.

Local defaults are for a developer's machine (DEBUG on, SQLite in the project).
With DEBUG off the site is in production mode and refuses to start without a
real SECRET_KEY and ALLOWED_HOSTS, and turns on the HTTPS protections.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from newsroom.storage import DISK, media_origin, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-local-development-only"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "Production mode (DEBUG off) needs a real SECRET_KEY: at least 50 random characters, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_prose_editor",
    "reversion",
    "axes",
    "taggit",
    "articles",
]

MIDDLEWARE = [
    "newsroom.request_id.RequestIdMiddleware",  # first: every response says its id
    # Nothing kept by an edge set up for another desk.
    "articles.freshness.edge.EdgeSettingsMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # newsroom/metrics.py
    "django.middleware.security.SecurityMiddleware",
    # Before the page cache, whose reads (the generation, what is scheduled) are a
    # reader's too: a statement stopped, or the database out of reach, is a 503, never
    # a 500 (its process_exception after the replicas', which answer from the primary
    # first; a failure outside a view: handler500); a reader's reads go to a replica
    # that has seen the last change; each statement bounded in time (PostgreSQL).
    "newsroom.unavailable.DatabaseUnavailableMiddleware",
    "newsroom.replicas.ReplicaMiddleware",
    "newsroom.timeouts.StatementTimeoutMiddleware",
    # Kept pages are served from here, as the middleware below left them, before
    # any of it, URL resolution and the view: articles/freshness/pages.py.
    "articles.freshness.pages.PageCacheMiddleware",
    "newsroom.middleware.ReadersGZipMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "newsroom.middleware.LocaleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",  # last: the view's own figures
]

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# account from one address, that pair is locked out for AXES_COOLOFF_MINUTES. Per
# pair, not per address: a newsroom behind one office NAT is not locked out whole.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every start
AXES_ENABLE_ADMIN = False  # the desk lists them in its own words (articles/admin/sign_ins.py)
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "newsroom.proxy.client_address"
# TLS ends at one proxy in front, which says so in X-Forwarded-Proto and appends
# the address it sees to X-Forwarded-For.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)

# Uploads on this server's disk, or in a bucket of S3-compatible object storage
# that MEDIA_STORAGE_URL names (newsroom/storage.py), shared by every app server.
MEDIA_STORAGE = media_storage(
    env.str("MEDIA_STORAGE_URL", default=""),
    key_id=env.str("MEDIA_STORAGE_KEY_ID", default=""),
    secret=env.str("MEDIA_STORAGE_SECRET", default=""),
    public_url=env.str("MEDIA_PUBLIC_URL", default=""),
)
MEDIA_ORIGIN = media_origin(MEDIA_STORAGE)  # pages' pictures come from there too

# Readers' pages: this site's own files only (and its pictures'
# object storage), nothing inline, no frames, no plugins.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data: {MEDIA_ORIGIN}".strip(),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The admin: its widgets set inline styles, and the rich-text editor's import map
# is an inline script, allowed by its hash (on the story form only). No other
# inline script runs there either.
ADMIN_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {MEDIA_ORIGIN}".strip(),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

ROOT_URLCONF = "newsroom.urls"
# The session cookie's name: the edge passes requests carrying it to the app
# (`manage.py edge_vcl` writes the VCL for it and ADMIN_URL).
SESSION_COOKIE_NAME = env.str("SESSION_COOKIE_NAME", default="sessionid")
ADMIN_URL = env.str("ADMIN_URL", default="admin/")  # an unguessable path keeps bots off the sign-in

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
                "articles.site.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections in production (checked before reuse); a fresh one per request locally.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each transaction takes SQLite's write lock when it begins, and a second
    # waits its turn: with the default (deferred) one of two simultaneous saves
    # failed with "database is locked". The test database is a file, as the
    # site's is, so that tests see the same locking.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["TEST"] = {"NAME": BASE_DIR / ".test-db.sqlite3"}

# How long one SQL statement may run on PostgreSQL, in milliseconds (newsroom/timeouts.py):
# readers' and the desk's below the worker's own limit (GUNICORN_TIMEOUT, 30 s), so that
# a statement is stopped rather than left running for a killed worker; jobs longer.
READER_STATEMENT_TIMEOUT = env.int("READER_STATEMENT_TIMEOUT", default=10_000)
DESK_STATEMENT_TIMEOUT = env.int("DESK_STATEMENT_TIMEOUT", default=25_000)
JOBS_STATEMENT_TIMEOUT = env.int("JOBS_STATEMENT_TIMEOUT", default=300_000)

# Read replicas (newsroom/replicas.py): readers' queries go to them while they
# answer and keep up, everything else to the primary.
for number, url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[])):
    DATABASES[f"replica_{number}"] = {
        **env.db_url_config(url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 2},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
REPLICA_MAX_LAG = env.float("REPLICA_MAX_LAG", default=5.0)  # seconds behind the primary

# Jobs (renditions, search indexing, edge purges, wire imports, scheduled
# stories going live) on procrastinate's queue in PostgreSQL when JOBS_QUEUE is
# on, run by `manage.py jobs_worker`; at once, in-process, when off
# (the default, and always on SQLite): newsroom/jobs.py.
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
JOBS_QUEUE = env.bool("JOBS_QUEUE", default=False)
if JOBS_QUEUE and not IS_POSTGRES:
    raise ImproperlyConfigured("JOBS_QUEUE needs PostgreSQL (DATABASE_URL=postgres://…).")
if IS_POSTGRES:
    INSTALLED_APPS.append("procrastinate.contrib.django")
# A worker says it is alive every 2 s; one silent for 10 s is taken for dead and its
# job run again. Jobs done are deleted: the table holds what waits or failed.
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": 2.0,
    "stalled_worker_timeout": 10.0,
    "delete_jobs": "successful",
}
PROCRASTINATE_IMPORT_PATHS = ["newsroom.jobs", "newsroom.password_reset"]
# Without the queue, how long one request spends on a change to many stories before
# showing its progress page, whose every refresh does the next part (bulk_changes.py).
BULK_CHANGE_SECONDS = env.float("BULK_CHANGE_SECONDS", default=5.0)

# Redis when REDIS_URL is set (shared by every worker), this process's memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": {
        "BACKEND": "newsroom.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # a Redis that is down or stuck is a cache miss, not a page kept waiting
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
    if REDIS_URL
    # Kept pieces of pages take an entry each: the default 300 would cull the
    # content's generation with them.
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    # Limits every worker must share, and no eviction may lift (password resets):
    # rows of the database's, created by migration 0027.
    "limits": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "toasoan_limits",
        # never culled while in force (Django culls past 300 entries by default, which
        # would let a flood of asks from many addresses lift an account's limit)
        "OPTIONS": {"MAX_ENTRIES": 10_000_000},
    },
}
# Content (whole readers' pages, the section menu) is cached only where every
# process sees the same cache: Redis, or runserver's single process. With
# gunicorn's workers each keeping its own memory, one worker's edit could not
# make another's copy stale (articles/freshness/moments.py, articles/freshness/pages.py).
CONTENT_CACHE = env.bool("CONTENT_CACHE", default=bool(REDIS_URL) or DEBUG)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# The edge cache (Varnish with xkey, deploy/varnish/default.vcl): where purges go,
# e.g. http://127.0.0.1:6081/ (none: no edge), and how long it may keep a page
# that nothing purges (a scheduled story's minute shortens it: articles/freshness/edge.py).
EDGE_CACHE_URL = env.str("EDGE_CACHE_URL", default="")
EDGE_CACHE_SECONDS = env.int("EDGE_CACHE_SECONDS", default=24 * 60 * 60)
# How often a live story's page asks for its new updates (a 304 from the edge while none).
LIVE_POLL_SECONDS = env.int("LIVE_POLL_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
FORMAT_MODULE_PATH = ["newsroom.formats"]  # dates as 21/05/2025 in the Vietnamese desk
# The project's own strings, then Vietnamese for what Django's admin and taggit lack.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_contrib"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads on this server's disk are served by the app itself, in production too (one
# server, `make serve`); set False where a web server serves them.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=MEDIA_STORAGE == DISK)

STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "articles.text.tagging.tags_from_string"
TAGGIT_STRING_FROM_TAGS = "articles.text.tagging.string_from_tags"

# Lead images: larger files or pictures are refused at upload (articles/media/images.py).
MAX_IMAGE_BYTES = env.int("MAX_IMAGE_BYTES", default=10 * 1024 * 1024)
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=40_000_000)
MAX_IMAGE_SIDE = env.int("MAX_IMAGE_SIDE", default=12_000)
MAX_IMAGE_ASPECT = env.int("MAX_IMAGE_ASPECT", default=10)  # long side over short side
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

if not DEBUG:
    # Static files from the app server: compressed, under hashed names, cached for ever.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Health checks (a load balancer's, the edge's probe) come over plain HTTP from inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Off only where there is no TLS at all (the cluster on loopback: deploy/cluster.py).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it; the admin posts its form token
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Mail (staff password resets): printed to the console unless EMAIL_URL names a server,
# e.g. smtp+tls://user:password@smtp.example.org:587.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Toà soạn <webmaster@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in the desk's e-mails (notifications, password resets) lead.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 60 * 60)

# Logs: one line of JSON per record in production (LOG_FORMAT=json, for a collector),
# text while DEBUG is on; each with the id of the request it belongs to.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "newsroom.request_id.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # each process saying how it gathered its job kinds, each job deferred: not news
    "loggers": {
        "procrastinate.blueprints": {"level": "WARNING"},
        "procrastinate.jobs": {"level": "WARNING"},
        "procrastinate.periodic": {"level": "WARNING"},
    },
}

# Error reports to Sentry when SENTRY_DSN is set (the SDK only: nothing is sent,
# nor loaded, without one), tagged with the request's id; no personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# /metrics (newsroom/metrics.py) answers this machine, unproxied, or whoever sends
# "Authorization: Bearer METRICS_TOKEN" (Prometheus on another machine); never readers.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
