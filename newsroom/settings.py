"""Settings for the newsroom timeline, read from environment variables.

Every value has a safe default: DEBUG is off, HTTPS is assumed, and the secret key
must be given (``make run`` writes a generated one into the untracked ``.env``).
"""

import os
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Real environment variables win over the file: .env only fills the gaps.
env.read_env(os.environ.get("DJANGO_ENV_FILE", BASE_DIR / ".env"), overwrite=False)

# PyThaiNLP writes a data folder in HOME on import unless told not to.
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Run `make run` (it writes one into .env) "
        "or export a long random value."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Our apps and modeltranslation come first: their templates and Thai
    # catalogue override the admin's, and modeltranslation must patch the admin.
    "newsroom",
    "timeline",
    "modeltranslation",
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "django_tasks_db",
    "reversion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag and 304s for every page; then readers' pages from the cache (newsroom/publishing/).
    "django.middleware.http.ConditionalGetMiddleware",
    "newsroom.publishing.middleware.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsroom.imports.middleware.import_notices",
    "newsroom.middleware.WritesInTransactionMiddleware",  # last: around the view
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Requests that may write run in one transaction each, reads in none (newsroom.middleware).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server and the background worker share the file: a transaction takes the write
    # lock when it begins (no lock upgrade that fails at once); readers, outside transactions,
    # go on beside a writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Parameters sent apart from the query (psycopg 3's server-side binding), so that a query
    # a connection runs again and again (a page's) is parsed and planned once: prepared after
    # DATABASE_PREPARE_THRESHOLD runs. "none" turns preparing off (a pooler in transaction
    # mode that cannot keep prepared statements).
    threshold = env.str("DATABASE_PREPARE_THRESHOLD", default="5").strip().lower()
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": None if threshold == "none" else int(threshold),
        }
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
# Tables the database keeps by itself (triggers): never dumped or loaded.
DATABASE_ROUTERS = ["timeline.routers.KeptByTheDatabase"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A 503 (database unreachable) asks readers and crawlers to come back after this long.
RETRY_AFTER_SECONDS = env.int("RETRY_AFTER_SECONDS", default=30)

# redis://host:6379/1 gives Django's own RedisCache (django-redis is not installed).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A Redis that is down or stuck costs a reader at most this, then the page is rendered
    # without the cache (newsroom.publishing.middleware).
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    )
# Readers' pages: kept this long in the cache above (0: not at all), and this long by
# browsers and proxies, which then ask again (a 304 if nothing changed).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_MAX_AGE = env.int("PAGE_MAX_AGE", default=60)
# Events on one page of the timeline (the embed shows as many), and in one timeline.json.
TIMELINE_PAGE_SIZE = env.int("TIMELINE_PAGE_SIZE", default=50)
TIMELINEJS_PAGE_SIZE = env.int("TIMELINEJS_PAGE_SIZE", default=200)
# Sources, and people and organisations, on one page of their lists.
DIRECTORY_PAGE_SIZE = env.int("DIRECTORY_PAGE_SIZE", default=100)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Thai first: it is the default language of the site, the admin and the content.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
# The project's own strings, then our fill-in for Django's incomplete Thai admin catalogue
# (also listed here so that the admin's JavaScript catalogue finds it).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "newsroom" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "th"
MODELTRANSLATION_LANGUAGES = ("th", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("th", "en")}

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="newsroom.staticfiles.StaticFilesStorage",
        )
    },
}

# HTTPS is assumed unless DJANGO_HTTPS=0 (the local development server sets that).
HTTPS = env.bool("DJANGO_HTTPS", default=True)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],  # the admin's widgets set inline styles
    "script-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"  # where a sign-in leads when its next= is refused
# Wrong passwords within this many minutes, per account and per address, pause signing in
# (newsroom.logins).
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}

# Imports: the largest file and the most rows one import takes.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=500 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=500_000)
# What one file may cost, checked while it is read (newsroom/imports/limits.py).
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=200)
IMPORT_MAX_CELL_BYTES = env.int("IMPORT_MAX_CELL_BYTES", default=1024 * 1024)  # and CSV lines
IMPORT_MAX_XLSX_BYTES = env.int("IMPORT_MAX_XLSX_BYTES", default=200 * 1024 * 1024)  # unpacked
IMPORT_MAX_XLSX_RATIO = env.int("IMPORT_MAX_XLSX_RATIO", default=100)  # unpacked / packed
IMPORT_MAX_JSON_DEPTH = env.int("IMPORT_MAX_JSON_DEPTH", default=10)

# django-import-export: our own import log (ImportRecord) replaces its admin log entries;
# import and export are permissions of their own (import_event, export_event, ...).
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# Background work (large imports) goes through django.tasks. The database backend needs a
# worker: `manage.py db_worker` (`make run` starts one beside the web server).
TASKS = {
    "default": {
        "BACKEND": env.str("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")
    }
}
# Files with more rows than this (estimated from their first MB), or larger, are imported in
# the background from the admin, without being read in the request.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2000)
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=5 * 1024 * 1024)
# Days a background import's file is kept in the media folder once it ended (0: removed at
# once); older ones are removed as imports end and by `manage.py prune_imports`.
IMPORT_KEEP_FILES_DAYS = env.int("IMPORT_KEEP_FILES_DAYS", default=0)
# Imports that write more rows than this at once have them search-indexed by the worker.
SEARCH_INDEX_INLINE_ROWS = env.int("SEARCH_INDEX_INLINE_ROWS", default=100)
# A bulk write of this many rows refreshes PostgreSQL's planner statistics (newsroom.planner).
PLANNER_ANALYZE_ROWS = env.int("PLANNER_ANALYZE_ROWS", default=1000)
# The background worker (newsroom.worker): its heartbeat, after how long without one its
# tasks are run again by another, how often a task may lose its worker, the longest wait
# between two tries while the database is away.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=5)
WORKER_LEASE_SECONDS = env.int("WORKER_LEASE_SECONDS", default=120)
WORKER_MAX_ATTEMPTS = env.int("WORKER_MAX_ATTEMPTS", default=3)
WORKER_RETRY_MAX_SECONDS = env.int("WORKER_RETRY_MAX_SECONDS", default=30)
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

# Translation status: the language translations are made from, and whether readers are told
# that the original changed since a translation was last confirmed.
TRANSLATION_SOURCE_LANGUAGE = "th"
SHOW_STALE_TRANSLATION_NOTICE = env.bool("SHOW_STALE_TRANSLATION_NOTICE", default=True)
