"""Settings shared by every environment; secure by default.

Every value that differs between machines comes from the environment (README,
"Configuration"). local.py and test.py relax what a developer's laptop needs;
production.py only adds what a real deployment must set.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core.admin_site.TvaersAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # Our apps, in the order a reader meets them.
    "core",
    "organisations",
    "accounts",
    "access",
    "audit",
    "cases",
    "timeline",
    "reminders",
    "inbox",
    "families",
    "conversations",
    "meetings",
    "exitprogram",
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "core.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.WriteConfirmationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    # Last, so that it sees every failed authentication the views above produce.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "organisations.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

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
                "core.context_processors.navigation",
                "reminders.context_processors.notifications",
            ],
            # A faster `date` filter with Django's output (core/templatetags/dates.py).
            "builtins": ["core.templatetags.dates"],
        },
    },
]

# Widgets render through the project's engine, so that templates/django/forms/ can
# replace Django's per-option includes (docs/performance.md).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A connection per worker, kept for a minute and checked before reuse: opening one
# per request cost the load test a third of its median (docs/performance.md).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The permission filters nest subqueries whose estimated cost crosses the JIT
    # threshold: compiling took 22 ms for 2 ms of work (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and formats: Danish first -----------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Sessions and cookies (point 8 of the foundation issue) ---------------------------
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=15))
SESSION_ABSOLUTE_TIMEOUT = timedelta(
    hours=env.int("SESSION_ABSOLUTE_HOURS", default=12)
)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy, set by core.middleware.SecurityHeadersMiddleware:
# no inline script, no eval, no plugins, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# --- Two-factor authentication and lockout --------------------------------------------
TVAERS_2FA_REQUIRED = env.bool("TVAERS_2FA_REQUIRED", default=True)
# Revealing a CPR number or exporting asks for authentication this recent
# (accounts.fresh; STYLE.md §4).
FRESH_AUTH_MAX_AGE = timedelta(minutes=env.int("FRESH_AUTH_MINUTES", default=10))
OTP_TOTP_ISSUER = "Tværs"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Either the username or the client address reaching the limit locks.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind the reverse proxy, the client address comes from X-Forwarded-For.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# --- Permissions (django-guardian) ----------------------------------------------------
# No anonymous-user row: an anonymous request never holds an object permission.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# --- Sensitive fields -----------------------------------------------------------------
# Fernet key (urlsafe base64, 32 bytes) for fields encrypted at rest, and a separate key
# for the keyed hashes that make exact-match search possible without decrypting.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY")
FIELD_HASH_KEY = env("FIELD_HASH_KEY", default=SECRET_KEY)

# --- Audit ----------------------------------------------------------------------------
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=5 * 365)

# --- Reminders and notifications (docs/reminders.md) ----------------------------------
# Beat runs the sweep this often: a reminder is delivered at most this long after due.
REMINDERS_SWEEP_SECONDS = env.int("REMINDERS_SWEEP_SECONDS", default=60)
# Reminders one sweep delivers at most; the next sweep takes the rest.
REMINDERS_SWEEP_LIMIT = env.int("REMINDERS_SWEEP_LIMIT", default=500)
# Seconds the mail server may take to answer, unless EMAIL_TIMEOUT is set: a sweep
# holds the reminder's row while it sends.
REMINDERS_EMAIL_TIMEOUT = env.int("REMINDERS_EMAIL_TIMEOUT", default=30)
# Where the links in notification e-mails point: by default the first trusted origin,
# else the first allowed host over HTTPS, else the development server.
_HOSTS = [h for h in ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
REMINDERS_SITE_URL = env(
    "REMINDERS_SITE_URL",
    default=(CSRF_TRUSTED_ORIGINS or [f"https://{h}" for h in _HOSTS])[0]
    if CSRF_TRUSTED_ORIGINS or _HOSTS
    else "http://127.0.0.1:8000",
)

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# A worker killed mid-task leaves its message to be delivered again, not acknowledged.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 120
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "audit-purge-expired": {
        "task": "audit.tasks.audit_purge_expired",
        "schedule": timedelta(hours=24),
    },
    "reminders-sweep": {
        "task": "reminders.tasks.reminders_sweep",
        "schedule": timedelta(seconds=REMINDERS_SWEEP_SECONDS),
        # A sweep left in the queue past the next one is redundant: drop it.
        "options": {"expires": REMINDERS_SWEEP_SECONDS},
    },
    "meetings-generate": {
        "task": "meetings.tasks.meetings_generate",
        "schedule": timedelta(hours=24),
    },
    "exit-weekly-reports": {
        "task": "exitprogram.tasks.weekly_reports_open",
        "schedule": timedelta(hours=6),
    },
    "families-bulk-exports-purge": {
        "task": "families.tasks.bulk_exports_purge",
        "schedule": timedelta(hours=1),
    },
}

# --- E-mail ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Tværs <no-reply@tvaers.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Deny by default: every endpoint names its own policy, see access.api.
    "DEFAULT_PERMISSION_CLASSES": ["access.api.IsVerifiedMember"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tværs API",
    "DESCRIPTION": "Cross-agency youth crime prevention. Every response is scoped to "
    "what the caller's agency may lawfully see.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["access.api.IsVerifiedMember"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ConcernLevelEnum": "cases.models.ConcernLevel.choices",
        "LegalBasisEnum": "access.legal.LegalBasis.choices",
        "RelationKindEnum": "families.models.RelationKind.choices",
        "MemberRoleEnum": "families.models.MemberRole.choices",
        "PersonStatusEnum": "cases.models.PersonStatus.choices",
        "ConversationStatusEnum": "conversations.models.Status.choices",
        "ConcernKindEnum": "conversations.models.ConcernKind.choices",
        "ConversationOutcomeEnum": "conversations.models.Outcome.choices",
        "ParticipantRoleEnum": "conversations.models.ParticipantRole.choices",
        "MeasureStatusEnum": "conversations.models.MeasureStatus.choices",
    },
}

# --- Logging: no personal data --------------------------------------------------------
# Request logging is limited to method, path (UUIDs only, never names or CPR) and
# status;
# error reports go to the log without request bodies or local variables.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "core.logging.PersonalDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
        },
        "django.security": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "core.logging.NoPersonalDataReporterFilter"
