"""Settings for gongkai, read from environment variables through one typed helper.

Every variable is documented in README.md ("Configuration"). Defaults are safe
for production (DEBUG off, secure cookies) except in the embedded demo mode
(GONGKAI_DEMO=1), which the README run command switches on.
"""

import os
import tempfile
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent

env = environ.Env()

DEMO = env.bool("GONGKAI_DEMO", default=False)
# Set by the test settings module (gongkai.test_settings); never guessed from what is imported.
TESTING = env.bool("GONGKAI_TESTING", default=False)
DEBUG = env.bool("DEBUG", default=DEMO)
DATA_DIR = Path(env.str("GONGKAI_DATA_DIR", default=str(Path.cwd() / "var")))

_INSECURE_KEY = "insecure-demo-key-do-not-use-in-production"
# Only the embedded demo and the test suite may run on the public demo key; DEBUG alone does not
# (a debugging production copy would otherwise sign sessions with a key anyone can read).
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY if (DEMO or TESTING) else "")
if not SECRET_KEY or (SECRET_KEY == _INSECURE_KEY and not (DEMO or TESTING)) or len(SECRET_KEY) < 32:
    raise environ.ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters unless GONGKAI_DEMO=1 "
        "(the embedded demo); DEBUG=1 does not change this. Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if (DEMO or DEBUG or TESTING) else []
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
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",  # second factor (TOTP) for administrators: devices, drift, replay protection
    "django_otp.plugins.otp_totp",
    "csp",
    "gongkai.core",
    "gongkai.portal",
    "gongkai.workbench",
    "gongkai.api",
    # Capability apps, one per bounded context (DESIGN.md). Their URLs are listed in gongkai.urls
    # and gongkai.api.urls, their periodic jobs in CELERY_BEAT_SCHEDULE below.
    "gongkai.search",
    "gongkai.catalogue",
    "gongkai.publications",
    "gongkai.requests",
    "gongkai.interaction",
    "gongkai.reports",
    "gongkai.guides",
    "gongkai.benefits",
    "gongkai.credit",
    "gongkai.opendata",
    "gongkai.standards",
    "gongkai.monitoring",
    "gongkai.assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongkai.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions: idle timeout, forced password change, audited superuser use (gongkai.core.auth_middleware).
    "gongkai.core.auth_middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "gongkai.core.middleware.NoStoreMiddleware",
    "gongkai.core.db.ReplicaReadsMiddleware",
    "gongkai.core.middleware.TraditionalChineseMiddleware",
    "gongkai.core.middleware.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.core.context_processors.gongkai",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent writers
    # queue instead of failing with "database is locked" half-way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Optional read replica for the public portal's reads (see gongkai.core.db); tests use the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["gongkai.core.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# --- Cache, Celery ----------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # One Redis for every app server: cache (fragments, rate limits, throttles), sessions' cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="gongkai"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions live in the database (survive a Redis restart) and are read through the cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gongkai"}}
    # Embedded default: one process, so a local-memory cache is correct for rate limits.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = TESTING
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged after it ran: a killed worker's task runs again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks (crawls, reports) do not hold others back
# The queue of every task (and the one workers consume): two platforms sharing one Redis use two names.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
# Every periodic job of the product, in one place (run by one `celery beat`).
CELERY_BEAT_SCHEDULE = {
    # Stored due dates follow the calendar and periods at once (on commit of a change); this
    # catches clocks that move by themselves (a consultation pausing a request runs up to today).
    "core-recompute-due-dates": {"task": "gongkai.core.tasks.recompute_due_dates", "schedule": crontab(minute=15)},
    "requests-send-reminders": {"task": "gongkai.requests.tasks.send_reminders", "schedule": crontab(minute=0, hour=8)},
    "publications-refresh-status-changes": {
        "task": "publications.refresh_status_changes",
        "schedule": crontab(minute=10, hour=0),  # re-index normative documents whose status changes that day
    },
    "interaction-appeal-reminders": {"task": "interaction.appeal_reminders", "schedule": crontab(hour=8, minute=0)},
    "interaction-consultation-close": {
        "task": "interaction.consultation_close_expired",
        "schedule": crontab(hour=0, minute=10),
    },
    "interaction-faq-stale-check": {"task": "interaction.faq_stale_check", "schedule": crontab(hour=7, minute=30)},
    "search-retry-failed-updates": {"task": "search.retry_failed_updates", "schedule": crontab(minute="*/5")},
    "search-prune-visits": {"task": "search.prune_visits", "schedule": crontab(hour=0, minute=30)},
    "search-compact-journal": {"task": "search.compact_journal", "schedule": crontab(hour=0, minute=40)},
    "guides-send-digests": {"task": "guides.send_digests", "schedule": crontab(hour=7, minute=0)},
    "benefits-expire-items": {"task": "benefits.expire_items", "schedule": crontab(hour=0, minute=20)},
    # 双公示: penalties whose display period ended leave the public pages (kept internally)
    "credit-expire-displays": {"task": "gongkai.credit.tasks.expire_displays", "schedule": crontab(hour=0, minute=5)},
    # Monitoring: plan tomorrow's random probe times, run the probes that are due, the daily crawl.
    "monitoring-plan-probes": {"task": "monitoring.plan_probes", "schedule": crontab(hour=23, minute=30)},
    "monitoring-run-probes": {"task": "monitoring.run_due_probes", "schedule": crontab(minute="*/5")},
    "monitoring-daily-pass": {"task": "monitoring.daily_pass", "schedule": crontab(hour=2, minute=0)},
    "monitoring-accessibility": {
        "task": "monitoring.accessibility_all",
        "schedule": crontab(hour=3, minute=0, day_of_week=0),
    },
    # Assessment: overdue rectifications become red cards; re-checks whose crawl has finished.
    "assessment-escalate-overdue": {"task": "assessment.escalate_overdue", "schedule": crontab(hour=6, minute=0)},
    # Audit: link events a crashed process left unchained; export a signed checkpoint of the chain head.
    "core-audit-chain-pending": {"task": "gongkai.core.tasks.audit_chain_pending", "schedule": crontab(minute="*")},
    "core-audit-checkpoint": {"task": "gongkai.core.tasks.audit_checkpoint", "schedule": crontab(minute=5)},
}

# --- Auth ---------------------------------------------------------------
# Password rules (等保 2.0 身份鉴别): at least 10 characters from three of four classes, not like the
# account's name or e-mail, not a common password.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "full_name", "email"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "gongkai.core.password_validation.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "portal:home"
# Login lockout (docs/security.md): failures per account and per client address, lock duration.
GONGKAI_LOGIN_FAILURE_LIMIT = env.int("GONGKAI_LOGIN_FAILURE_LIMIT", default=5)
GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
GONGKAI_LOGIN_LOCKOUT_MINUTES = env.int("GONGKAI_LOGIN_LOCKOUT_MINUTES", default=30)
# Password expiry in days (0 = off): an older password must be changed at the next login.
GONGKAI_PASSWORD_MAX_AGE_DAYS = env.int("GONGKAI_PASSWORD_MAX_AGE_DAYS", default=0)
# A staff session ends after this many minutes without a request.
GONGKAI_SESSION_IDLE_MINUTES = env.int("GONGKAI_SESSION_IDLE_MINUTES", default=30)
# Administrators (system, security, audit, superuser) must enrol a TOTP second factor before working.
GONGKAI_ADMIN_2FA_REQUIRED = env.bool("GONGKAI_ADMIN_2FA_REQUIRED", default=False)
OTP_TOTP_ISSUER = env.str("GONGKAI_SITE_NAME", default="政务公开平台")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)  # reset links work for one hour

# --- Client address and throttles -------------------------------------------------
# Reverse proxies in front of the app whose X-Forwarded-For entries are believed (0 = ignore the
# header; N = the Nth entry from the right is the client). See gongkai.core.client_address.
GONGKAI_TRUSTED_PROXIES = env.int("GONGKAI_TRUSTED_PROXIES", default=0)
RATELIMIT_IP_META_KEY = "gongkai.core.client_address.client_address"
# Wrong guesses of one tracking code (with the phone's last four digits) before it is locked for everyone.
GONGKAI_GUESS_LIMIT = env.int("GONGKAI_GUESS_LIMIT", default=5)
GONGKAI_GUESS_LOCK_SECONDS = env.int("GONGKAI_GUESS_LOCK_SECONDS", default=3600)

# --- I18N -------------------------------------------------------------------
# Source strings are Simplified Chinese (the default UI). The 繁體 catalogue is
# generated from them with OpenCC (`gongkai i18n_update`); English is translated.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Public media (publication attachments, open data files) on the local file system (a volume
# shared by the app servers and workers) or, with GONGKAI_STORAGE=s3, in S3-compatible object
# storage through django-storages (`pip install 'gongkai[s3]'`; see docs/deployment.md).
# Private files (request letters, applicants' files, screenshots) stay under
# GONGKAI_PRIVATE_MEDIA_ROOT, which must then be a shared volume as well.
GONGKAI_STORAGE = env.str("GONGKAI_STORAGE", default="filesystem").lower()
if GONGKAI_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default="media"),
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "default_acl": None,  # the bucket's policy decides; never public-read by default
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=True),
            "file_overwrite": False,
        },
    }
elif GONGKAI_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise environ.ImproperlyConfigured(f"GONGKAI_STORAGE must be filesystem or s3, not {GONGKAI_STORAGE!r}")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
GONGKAI_MAX_UPLOAD_BYTES = env.int("GONGKAI_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# Uploads (gongkai.core.uploads, docs/security.md 恶意代码防范): ZIP-based formats (DOCX/XLSX/PPTX/ODT/ZIP)
# are refused from their directory, before extraction, past these limits; text extraction runs in a
# child process limited in address space and time.
GONGKAI_MAX_UNCOMPRESSED_BYTES = env.int("GONGKAI_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024)
GONGKAI_MAX_ARCHIVE_MEMBERS = env.int("GONGKAI_MAX_ARCHIVE_MEMBERS", default=5_000)
GONGKAI_MAX_COMPRESSION_RATIO = env.float("GONGKAI_MAX_COMPRESSION_RATIO", default=100.0)
GONGKAI_EXTRACT_ISOLATED = env.bool("GONGKAI_EXTRACT_ISOLATED", default=True)
GONGKAI_EXTRACT_MEMORY_MB = env.int("GONGKAI_EXTRACT_MEMORY_MB", default=512)
GONGKAI_EXTRACT_TIMEOUT = env.float("GONGKAI_EXTRACT_TIMEOUT", default=20.0)
# Virus scanning of every upload: a dotted path scan(data, name), or ClamAV's clamd (INSTREAM) on a
# Unix socket or host:port. Unset = no scanning (manage.py check --deploy warns).
GONGKAI_ATTACHMENT_SCANNER = env.str("GONGKAI_ATTACHMENT_SCANNER", default="")
GONGKAI_CLAMD_SOCKET = env.str("GONGKAI_CLAMD_SOCKET", default="")
GONGKAI_CLAMD_HOST = env.str("GONGKAI_CLAMD_HOST", default="")
GONGKAI_CLAMD_TIMEOUT = env.float("GONGKAI_CLAMD_TIMEOUT", default=30.0)

# --- Security ---------------------------------------------------------------
_secure = not (DEBUG or DEMO or TESTING)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=_secure)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=_secure)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
# HSTS: only behind TLS (docs/security.md 入侵防范). Start with a short max-age (300), then a year.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from hx-headers, never from the cookie
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
FORMS_URLFIELD_ASSUME_HTTPS = True
X_FRAME_OPTIONS = "DENY"
# Pages and exports holding personal data are never kept by browsers or shared caches:
# responses under these prefixes, and every download (Content-Disposition: attachment) or
# page served to a signed-in user, carry Cache-Control: no-store (gongkai.core.middleware).
GONGKAI_NO_STORE_PREFIXES = tuple(
    env.list(
        "GONGKAI_NO_STORE_PREFIXES",
        default=[
            "/workbench/",
            "/staff/",
            "/api/v1/staff/",
            "/admin/",
            "/requests/track/",
            "/interaction/track/",
            "/api/v1/requests/status/",
        ],
    )
)

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only;
# no inline scripts, inline styles or eval. Map tiles (GONGKAI_MAP_TILE_URL / 天地图) are added to
# img-src below; GONGKAI_CSP_REPORT_URI collects violation reports; GONGKAI_CSP_REPORT_ONLY=1
# sends the policy as Content-Security-Policy-Report-Only while a deployment checks its pages.
_csp_img = ["'self'", "data:"]
GONGKAI_CSP_REPORT_ONLY = env.bool("GONGKAI_CSP_REPORT_ONLY", default=False)
_csp_policy = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": _csp_img,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **(
            {"report-uri": [env.str("GONGKAI_CSP_REPORT_URI")]} if env.str("GONGKAI_CSP_REPORT_URI", default="") else {}
        ),
    }
}
if GONGKAI_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp_policy
else:
    CONTENT_SECURITY_POLICY = _csp_policy

# --- Email ------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if (DEMO or DEBUG) else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="gongkai@localhost")
# Subscriptions (guides): SMS sender class with send(phone, text); site URL for links in mail.
GONGKAI_SMS_BACKEND = env.str("GONGKAI_SMS_BACKEND", default="gongkai.guides.notify.ConsoleSms")
GONGKAI_SITE_URL = env.str("GONGKAI_SITE_URL", default="")
# Service-point map base layer: none (list and markers only) | selfhosted (GONGKAI_MAP_TILE_URL) | tianditu (key).
GONGKAI_MAP_TILES = env.str("GONGKAI_MAP_TILES", default="none")
GONGKAI_MAP_TILE_URL = env.str("GONGKAI_MAP_TILE_URL", default="")
GONGKAI_MAP_ATTRIBUTION = env.str("GONGKAI_MAP_ATTRIBUTION", default="")
GONGKAI_TIANDITU_KEY = env.str("GONGKAI_TIANDITU_KEY", default="")
if GONGKAI_MAP_TILES == "selfhosted" and GONGKAI_MAP_TILE_URL:  # the tile server may serve images
    _scheme, _rest = GONGKAI_MAP_TILE_URL.split("://", 1) if "://" in GONGKAI_MAP_TILE_URL else ("https", "")
    if _rest:
        _csp_img.append(f"{_scheme}://{_rest.split('/', 1)[0].replace('{s}', '*')}")
elif GONGKAI_MAP_TILES == "tianditu":
    _csp_img.append("https://*.tianditu.gov.cn")
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",  # first: a bad token gets 401, not 403
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "gongkai.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "gongkai.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"public_form": env.str("GONGKAI_PUBLIC_FORM_RATE", default="20/hour")},
    "NUM_PROXIES": env.int("GONGKAI_TRUSTED_PROXIES", default=0),  # DRF's own reading; ours: client_address
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gongkai API",
    "DESCRIPTION": "政务公开平台 REST API (v1). Staff endpoints are scoped to the user's organisation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set where several fields share a name ("status", "kind"...): stable names
    # in docs/openapi.yaml instead of hash suffixes (StatusAa4Enum) that change with the choices.
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "gongkai.core.models.OrgKind",
        "OrgLevelEnum": "gongkai.core.models.Level",
        "PublicationStateEnum": "gongkai.publications.choices.State",
        "WithholdGroundEnum": "gongkai.publications.choices.WithholdGround",
        "RequestStatusEnum": "gongkai.requests.choices.Status",
        "RequestChannelEnum": "gongkai.requests.choices.Channel",
        "RequestIdTypeEnum": "gongkai.requests.choices.IdType",
        "RequestOutcomeEnum": "gongkai.requests.choices.Outcome",
        "ReplyOutcomeEnum": "gongkai.requests.choices.REPLY_OUTCOME_CHOICES",
        "ReviewOutcomeEnum": "gongkai.requests.choices.ReviewOutcome",
        "PartyIdTypeEnum": "gongkai.credit.models.IdType",
        "CreditStateEnum": "gongkai.credit.models.State",
        "LicenceCategoryEnum": "gongkai.credit.models.LicenceCategory",
        "LicenceStatusEnum": "gongkai.credit.models.LicenceStatus",
        "PenaltySeverityEnum": "gongkai.credit.models.Severity",
        "AssessedUnitCategoryEnum": "gongkai.assessment.models.UnitCategory",
        "ColumnKindEnum": "gongkai.monitoring.models.ColumnKind",
        "StandardLevelEnum": "gongkai.standards.models.Level",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gongkai.api.schema.add_error_responses",
    ],
}

# --- gongkai ----------------------------------------------------------------
GONGKAI_SITE_NAME = env.str("GONGKAI_SITE_NAME", default="政务公开平台")
# Site identifiers every government website shows (国办发〔2017〕47号《政府网站发展指引》): the 主办单位,
# the 网站标识码 (also in <meta name="SiteIDCode">), the ICP filing and the public-security filing numbers.
# The demo shows the demo county's values (松阳县, region code 331124) so the footer is seen filled in.
GONGKAI_SITE_ORGANISER = env.str("GONGKAI_SITE_ORGANISER", default="松阳县人民政府办公室" if DEMO else "")
GONGKAI_SITE_ID_CODE = env.str("GONGKAI_SITE_ID_CODE", default="3311240001" if DEMO else "")
GONGKAI_SITE_ICP = env.str("GONGKAI_SITE_ICP", default="")
GONGKAI_SITE_POLICE_RECORD = env.str("GONGKAI_SITE_POLICE_RECORD", default="")
# 索引号 layout; fields: unit_code, category, year, seq (see gongkai.core.numbering).
GONGKAI_INDEX_NUMBER_FORMAT = env.str("GONGKAI_INDEX_NUMBER_FORMAT", default="{unit_code}-{category}-{year}-{seq:05d}")
GONGKAI_PUBLIC_FORM_RATE = env.str("GONGKAI_PUBLIC_FORM_RATE", default="20/h")
GONGKAI_SEARCH_BACKEND = env.str("GONGKAI_SEARCH_BACKEND", default="")
# Replicated backend (several app servers, docs/search.md): how long a search waits for another
# process of the host that is updating the local index, and how many journal entries are kept.
GONGKAI_SEARCH_SYNC_WAIT = env.float("GONGKAI_SEARCH_SYNC_WAIT", default=5.0)
GONGKAI_SEARCH_JOURNAL_KEEP = env.int("GONGKAI_SEARCH_JOURNAL_KEEP", default=100_000)
# Popular search terms (热门检索, autocomplete, statistics) become public only after this many
# visitor-days (distinct daily visitor hashes) on this many different days (docs/search.md).
GONGKAI_SEARCH_TERM_MIN_VISITORS = env.int("GONGKAI_SEARCH_TERM_MIN_VISITORS", default=5)
GONGKAI_SEARCH_TERM_MIN_DAYS = env.int("GONGKAI_SEARCH_TERM_MIN_DAYS", default=2)
# Key of the daily visitor hashes (never the raw address is stored); default derived from SECRET_KEY.
GONGKAI_VISITOR_HASH_KEY = env.str("GONGKAI_VISITOR_HASH_KEY", default="")
# Portal search and suggestion rate limits per client address (behind one NAT, raise them).
GONGKAI_SEARCH_RATE = env.str("GONGKAI_SEARCH_RATE", default="120/m")
GONGKAI_SUGGEST_RATE = env.str("GONGKAI_SUGGEST_RATE", default="600/m")
# Information requests (see docs/requests.md): reminder thresholds in working days before the due
# date, attachment size, and private storage for letters and applicants' files (never served from
# MEDIA_URL). The applicant's correction period is the legal period request.correction_deadline.
GONGKAI_REQUEST_REMINDER_DAYS = tuple(env.list("GONGKAI_REQUEST_REMINDER_DAYS", cast=int, default=[5, 2, 0]))
GONGKAI_REQUEST_ATTACHMENT_MAX_BYTES = env.int("GONGKAI_REQUEST_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
# Empty = "private-media" beside MEDIA_ROOT.
GONGKAI_PRIVATE_MEDIA_ROOT = env.str("GONGKAI_PRIVATE_MEDIA_ROOT", default="") or None
# Catalogue spreadsheet imports: row limits for the command line and the browser wizard.
GONGKAI_CATALOGUE_IMPORT_MAX_ROWS = env.int("GONGKAI_CATALOGUE_IMPORT_MAX_ROWS", default=50_000)
GONGKAI_CATALOGUE_IMPORT_WEB_MAX_ROWS = env.int("GONGKAI_CATALOGUE_IMPORT_WEB_MAX_ROWS", default=10_000)
# Website monitoring (docs/monitoring.md): crawler limits and politeness, rule thresholds.
GONGKAI_MONITORING_USER_AGENT = env.str(
    "GONGKAI_MONITORING_USER_AGENT",
    default="gongkai-monitor/1.0 (government website inspection; +https://github.com/gongkai)",
)
GONGKAI_MONITORING_TIMEOUT = env.float("GONGKAI_MONITORING_TIMEOUT", default=15.0)  # seconds per request (19号: 15 s)
GONGKAI_MONITORING_MAX_PAGE_BYTES = env.int("GONGKAI_MONITORING_MAX_PAGE_BYTES", default=2 * 1024 * 1024)
GONGKAI_MONITORING_MAX_PAGES = env.int("GONGKAI_MONITORING_MAX_PAGES", default=200)  # per site and crawl
GONGKAI_MONITORING_SITE_SECONDS = env.float("GONGKAI_MONITORING_SITE_SECONDS", default=300.0)  # per site and crawl
GONGKAI_MONITORING_PER_HOST = env.int("GONGKAI_MONITORING_PER_HOST", default=2)  # parallel requests per host
GONGKAI_MONITORING_HOST_DELAY = env.float("GONGKAI_MONITORING_HOST_DELAY", default=0.5)  # seconds between requests
GONGKAI_MONITORING_CONCURRENCY = env.int("GONGKAI_MONITORING_CONCURRENCY", default=64)  # requests per worker
GONGKAI_MONITORING_MAX_REDIRECTS = env.int("GONGKAI_MONITORING_MAX_REDIRECTS", default=5)
GONGKAI_MONITORING_MAX_LINKS = env.int("GONGKAI_MONITORING_MAX_LINKS", default=200)  # links checked per site
GONGKAI_MONITORING_MAX_ATTACHMENTS = env.int("GONGKAI_MONITORING_MAX_ATTACHMENTS", default=10)
GONGKAI_MONITORING_ARTICLES_PER_COLUMN = env.int("GONGKAI_MONITORING_ARTICLES_PER_COLUMN", default=3)
GONGKAI_MONITORING_RESPECT_ROBOTS = env.bool("GONGKAI_MONITORING_RESPECT_ROBOTS", default=True)
GONGKAI_MONITORING_VERIFY_TLS = env.bool("GONGKAI_MONITORING_VERIFY_TLS", default=True)
GONGKAI_MONITORING_SITES_PER_TASK = env.int("GONGKAI_MONITORING_SITES_PER_TASK", default=100)
GONGKAI_MONITORING_PROBES_PER_DAY = env.int("GONGKAI_MONITORING_PROBES_PER_DAY", default=24)  # 19号: ≥ 20
GONGKAI_MONITORING_UNREACHABLE_RATIO = env.float("GONGKAI_MONITORING_UNREACHABLE_RATIO", default=0.05)
GONGKAI_MONITORING_NEWS_STALE_VETO = env.int("GONGKAI_MONITORING_NEWS_STALE_VETO", default=5)
GONGKAI_MONITORING_STALE_VETO = env.int("GONGKAI_MONITORING_STALE_VETO", default=10)
GONGKAI_MONITORING_BLANK_VETO = env.int("GONGKAI_MONITORING_BLANK_VETO", default=5)
GONGKAI_MONITORING_A11Y_PAGES = env.int("GONGKAI_MONITORING_A11Y_PAGES", default=3)  # axe-checked pages per site
GONGKAI_MONITORING_SCREENSHOTS = env.bool("GONGKAI_MONITORING_SCREENSHOTS", default=not TESTING)
# The portal's own public address, so that it is registered and checked like any other site.
GONGKAI_PORTAL_URL = env.str("GONGKAI_PORTAL_URL", default="")
# Audit chain key (gongkai.core.audit): kept apart from SECRET_KEY, so that whoever can write the
# database (or knows SECRET_KEY) but lacks this key cannot re-chain edited audit events.
_DEV_AUDIT_KEY = "insecure-demo-audit-key-do-not-use-in-production"
GONGKAI_AUDIT_KEY = env.str("GONGKAI_AUDIT_KEY", default=_DEV_AUDIT_KEY if (DEMO or DEBUG or TESTING) else "")
if not GONGKAI_AUDIT_KEY:
    raise environ.ImproperlyConfigured(
        "GONGKAI_AUDIT_KEY must be set in production: a random secret of at least 32 characters, different from "
        "SECRET_KEY (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)."
    )
if not (DEMO or DEBUG or TESTING) and (len(GONGKAI_AUDIT_KEY) < 32 or GONGKAI_AUDIT_KEY == SECRET_KEY):
    raise environ.ImproperlyConfigured("GONGKAI_AUDIT_KEY must be at least 32 characters and differ from SECRET_KEY.")
# --- Personal data at rest (gongkai.core.crypto, docs/core.md "Keys and rotation") -------------
# GONGKAI_CRYPTO: default (AES-256-GCM, HMAC-SHA-256) | gm (国密: SM4-GCM, HMAC-SM3).
# GONGKAI_DATA_KEYS: "v2:<base64>,v1:<base64>" (first = current; older ones until `gongkai crypto rotate`);
# GONGKAI_BLIND_INDEX_KEY: the key of the blind indexes (lookups of phones, ID numbers), not a data key.
# The embedded demo and the test suite use fixed public keys; anything else must set its own.
GONGKAI_CRYPTO = env.str("GONGKAI_CRYPTO", default="default")
_dev_keys = DEMO or TESTING
GONGKAI_DATA_KEYS = env.str("GONGKAI_DATA_KEYS", default="")
GONGKAI_BLIND_INDEX_KEY = env.str("GONGKAI_BLIND_INDEX_KEY", default="")
if _dev_keys:
    from gongkai.core.crypto import DEV_BLIND_INDEX_KEY, DEV_DATA_KEYS

    GONGKAI_DATA_KEYS = GONGKAI_DATA_KEYS or DEV_DATA_KEYS
    GONGKAI_BLIND_INDEX_KEY = GONGKAI_BLIND_INDEX_KEY or DEV_BLIND_INDEX_KEY
elif not (GONGKAI_DATA_KEYS and GONGKAI_BLIND_INDEX_KEY):
    raise environ.ImproperlyConfigured(
        "GONGKAI_DATA_KEYS and GONGKAI_BLIND_INDEX_KEY must be set outside the demo: personal data is "
        "encrypted at rest. Create keys with `GONGKAI_DEMO=1 gongkai crypto genkey` (see docs/core.md)."
    )
# GONGKAI_BACKUP_KEY: 32 random bytes, base64 (`gongkai crypto genkey`), kept off the backup host: when set,
# `gongkai backup` encrypts its archives (AES-256-GCM, or SM4 under GONGKAI_CRYPTO=gm) unless --no-encrypt.
GONGKAI_BACKUP_KEY = env.str("GONGKAI_BACKUP_KEY", default="")
# The chain uses HMAC-SM3 when GONGKAI_CRYPTO == "gm" (国密; the setting belongs to gongkai.core.crypto).
# Audit log (docs/deployment.md, "Backup and restore"): retention (never below 180 days, 网络安全法 art. 21),
# how events are chained ("deferred": inserted without the chain lock and linked after commit by one
# sequencer, so writers do not queue; "inline": linked under the lock inside the writer's transaction,
# the default on SQLite, whose writers are serialised anyway), and where signed chain-head checkpoints go
# (outside the database; copy them off the host). Tests get a throwaway directory.
GONGKAI_AUDIT_RETENTION_DAYS = max(180, env.int("GONGKAI_AUDIT_RETENTION_DAYS", default=180))
GONGKAI_AUDIT_CHAINING = env.str(
    "GONGKAI_AUDIT_CHAINING",
    default="inline" if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else "deferred",
)
GONGKAI_AUDIT_CHECKPOINT_DIR = Path(
    env.str(
        "GONGKAI_AUDIT_CHECKPOINT_DIR",
        default=str(
            Path(tempfile.gettempdir()) / f"gongkai-test-checkpoints-{os.getpid()}"
            if TESTING
            else DATA_DIR / "audit-checkpoints"
        ),
    )
)
GONGKAI_SEARCH_INDEX_DIR = Path(env.str("GONGKAI_SEARCH_INDEX_DIR", default=str(DATA_DIR / "search-index")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "filters": {
        "request_id": {"()": "gongkai.core.middleware.RequestIdLogFilter"},
        "client_error": {"()": "gongkai.portal.logs.ClientErrorFilter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own "django" console handler (active under DEBUG) would print every record a
        # second time on top of the root handler: drop it, everything propagates to root once.
        "django": {"handlers": [], "propagate": True},
        # 4xx responses: one line, no traceback (gongkai.portal.logs).
        "django.request": {"filters": ["client_error"]},
        "django.db.backends": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
    },
}
