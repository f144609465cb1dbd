"""One settings module, driven by the environment.

Defaults make a bare machine work: SQLite, a Celery broker on the local
filesystem, e-mail to the console. Production sets DEBUG=0 and the variables
listed in README.md.
"""
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("LUODIAN_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.read_env(str(BASE_DIR / ".env")) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET = "dev-only-insecure-key-never-used-when-debug-is-off"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for development)."
        )
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "communities",
    "landlords",
    "talents",
    "propertyservice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "communities.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "communities.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "luodian.urls"
WSGI_APPLICATION = "luodian.wsgi.application"

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
                "communities.context_processors.shell",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------
if not env.str("DATABASE_URL", default=""):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the bare-machine SQLite file lives here
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'luodian.sqlite3'}"),
}
# Persistent connections: opening a PostgreSQL connection costs ~8 ms, a large share of a page
# (bench_town). Health checks drop a connection the server closed instead of failing a request.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# Querysets iterated with .iterator() (form choices) run as one plain query, not a DECLARE/FETCH/CLOSE
# server-side cursor: three round trips for a list of a few dozen rows (and safe behind pgbouncer).
DATABASES["default"].setdefault("DISABLE_SERVER_SIDE_CURSORS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache ---------------------------------------------
# Every Redis connection carries short socket timeouts so that a Redis that
# accepts connections but never answers cannot hang a web request.
REDIS_URL = env.str("REDIS_URL", default="")
REDIS_SOCKET_TIMEOUT = 2

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The case page's header and timeline, rendered, per web process (communities/views/cases.py, _history_parts).
# In memory, never in Redis: a hung Redis must not slow the page. The key changes with every change of the
# case; only renames of people, units, teams and agencies wait for the timeout.
CASE_PAGE_CACHE_SECONDS = env.int("CASE_PAGE_CACHE_SECONDS", default=300)
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "case-pages",
                   "TIMEOUT": CASE_PAGE_CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 1000}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "luodianfs://")
if CELERY_BROKER_URL.startswith("luodianfs://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
    for _folder in ("queue", "control", "processed"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
        # Tasks never carry a far-future ETA (beat scans the database for
        # what is due), so the default one-hour visibility timeout holds.
        "visibility_timeout": 3600,
        # A refused connection fails at once instead of sleeping and retrying inside a web request;
        # the outbox keeps the message and the sweeper retries it.
        "max_retries": 0,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A failed publish must fail fast: the outbox row stays and the sweeper
# delivers it later, so retrying inside a web request only adds latency.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE = {
    # Re-deliver notifications whose first delivery failed (broker down,
    # SMTP error): the outbox row is the source of truth, so nothing is lost.
    "sweep-undelivered-notifications": {
        "task": "communities.tasks.sweep_notifications",
        "schedule": 60.0,
    },
    # Escalate overdue cases, first to committee staff, then to the Party secretary. Each level is
    # claimed by a conditional UPDATE, so a repeated or doubled run escalates nothing twice.
    "escalate-overdue-cases": {
        "task": "communities.tasks.start_case_escalations",
        "schedule": 3600.0,
    },
    # Remind reporters who have not rated a closed case after 7 days, once per case.
    "remind-unrated-cases": {
        "task": "communities.tasks.start_rating_reminders",
        "schedule": 3600.0,
    },
    # Recompute the dashboard's daily figures (the three rates, top categories and buildings) for the
    # last 35 days; about 1 s at town scale (bench_town). Expires so a stopped worker does not find a backlog of them.
    "refresh-case-summaries": {
        "task": "communities.tasks.refresh_case_summaries",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Photos kept from a filing form that came back with an error (communities.PendingPhoto) are deleted a
    # day after; idempotent (only expired rows, each deleted once).
    "purge-pending-photos": {
        "task": "communities.tasks.purge_pending_photos",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600},
    },
    # Meeting reminders 24 h and 1 h before, to invitees: beat scans for what is due (no ETA tasks),
    # each reminder is claimed once per meeting version, so a moved meeting is never announced for
    # its old time. Every 5 minutes: a reminder comes at most 5 minutes late.
    "remind-meetings": {
        "task": "communities.tasks.start_meeting_reminders",
        "schedule": 300.0,
    },
    # Ask organisers for minutes a day after a meeting that has none; once per meeting.
    "remind-meeting-minutes": {
        "task": "communities.tasks.start_minutes_reminders",
        "schedule": 3600.0,
    },
    # Keep each meeting series generated about two months ahead; idempotent (a unique key per start).
    "generate-series-meetings": {
        "task": "communities.tasks.generate_series_meetings",
        "schedule": 6 * 3600.0,
    },
    # Keep every active rota's shifts generated for its rolling horizon (four weeks by default). Hourly
    # rather than daily so a new or changed rota fills up soon; a run with nothing to add costs a few queries.
    "generate-rota-shifts": {
        "task": "communities.tasks.start_shift_generation",
        "schedule": 3600.0,
    },
    # Shift reminders, the day before and two hours before, each claimed once per assignment.
    "remind-shifts": {
        "task": "communities.tasks.start_shift_reminders",
        "schedule": 300.0,
    },
    # Mark assignments whose shift ended without a check-in as missed.
    "mark-missed-shifts": {
        "task": "communities.tasks.mark_missed_shifts",
        "schedule": 900.0,
    },
    # Tell rota managers about unfilled shifts in the next 48 hours, once per shift.
    "alert-coverage-gaps": {
        "task": "communities.tasks.alert_coverage_gaps",
        "schedule": 1800.0,
    },
    # SMS sign-in codes older than a day are deleted (communities.services.phone_codes); idempotent.
    "purge-phone-codes": {
        "task": "communities.tasks.purge_phone_codes",
        "schedule": 6 * 3600.0,
        "options": {"expires": 3600},
    },
    # Tenant records are kept only as long as needed: once a day, anonymise the tenants who moved out more
    # than TENANT_RECORD_RETENTION_MONTHS ago. Idempotent (only rows not yet anonymised are touched).
    "anonymise-tenant-records": {
        "task": "landlords.tasks.anonymise_tenant_records",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600},
    },
    # 郡园's classes (talents.tasks): sessions kept generated four weeks ahead (unique slot keys), lottery draws at
    # the opening time, waitlist offers past their deadline passed on, reminders the day before (claimed once per
    # session start: a moved session is never reminded for its old time). Each idempotent.
    "talents-generate-class-sessions": {
        "task": "talents.tasks.start_class_sessions_generation",
        "schedule": 3600.0,
    },
    "talents-draw-lotteries": {
        "task": "talents.tasks.start_lottery_draws",
        "schedule": 300.0,
    },
    "talents-expire-offers": {
        "task": "talents.tasks.start_offer_expiry",
        "schedule": 300.0,
    },
    "talents-remind-sessions": {
        "task": "talents.tasks.start_session_reminders",
        "schedule": 300.0,
    },
    # 蓉庭's figures for the Party dashboards (communities.CommunityFigure): the dashboard reads the rows and
    # never runs app code. Idempotent: a day's figure is overwritten, never added twice.
    "record-landlords-figures": {
        "task": "landlords.tasks.record_landlords_figures",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600},
    },
    # 郡园's maintenance fund: top-up warnings (one open per building, art. 65) and the half-yearly statement of
    # the half-year just ended (art. 67), each idempotent.
    "talents-fund-daily": {
        "task": "talents.tasks.fund_daily",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600},
    },
    # 郡园: a studio host's background check for work with children is redone every year (《未成年人保护法》
    # art. 62); staff hear once per check when it has lapsed or lapses within 30 days (a reminded_at guard).
    "remind-talents-background-checks": {
        "task": "talents.tasks.remind_background_checks",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600},
    },
    # 郡园's appointment reminders (预约服务), the day before: beat scans for what is due (no ETA tasks), each
    # booking's reminder claimed once by a conditional UPDATE on reminded_at.
    "remind-appointments": {
        "task": "talents.tasks.start_appointment_reminders",
        "schedule": 300.0,
    },
    # 郡园's repair projects: an emergency repair whose owners' committee let the 7 days of 沪物业规定第七十三条 pass
    # tells committee staff once (an emergency_overdue_notified_at guard), one task per project.
    "talents-repair-emergency-clocks": {
        "task": "talents.tasks.start_repair_emergency_clocks",
        "schedule": 3600.0,
        "options": {"expires": 600},
    },
    # 郡园's property company: reminders 120, 90 and 60 days before the contract ends (沪物业规定 art. 46), each
    # once (a ContractReminder row per contract and day count); the owners' surveys of ended quarters closed.
    "talents-company-contract-reminders": {
        "task": "talents.tasks.start_company_contract_reminders",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600},
    },
    # 光明村 hotline: a promised call-back that fell due reminds its assignee once (callback_reminded_at).
    "remind-hotline-callbacks": {
        "task": "propertyservice.tasks.remind_hotline_callbacks",
        "schedule": 300.0,
    },
    # 光明村 station: the heads hear a month ahead when a staff certificate (保安员证, 电工证) lapses, once per
    # certificate per expiry (a conditional UPDATE on alerted_expiry).
    "propertyservice-certificate-alerts": {
        "task": "propertyservice.tasks.start_certificate_alerts",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600},
    },
    # 光明村's patrols: runs of ended patrol shifts are closed and flagged (checkpoints missed, late), once each
    # (a closed_at guard), one task per run.
    "propertyservice-close-patrol-runs": {
        "task": "propertyservice.tasks.start_patrol_runs_close",
        "schedule": 600.0,
        "options": {"expires": 600},
    },
    # 光明村 incidents: a call to an emergency-team member not acknowledged within
    # PROPERTY_INCIDENT_ACK_MINUTES (default 5) passes to the next in the chain (rows, not ETAs).
    "advance-incident-escalations": {
        "task": "propertyservice.tasks.advance_incident_escalations",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # 光明村: freeze last month's station evaluation from the 2nd on (a day for the last paper forms); a closed
    # month is left as it is, so running every 6 hours is harmless (propertyservice.services.evaluation).
    "close-station-evaluations": {
        "task": "propertyservice.tasks.close_last_month_evaluations",
        "schedule": 6 * 3600.0,
        "options": {"expires": 3600},
    },
}
# Months after a tenant's move-out after which their registration is anonymised (name, phone).
TENANT_RECORD_RETENTION_MONTHS = env.int("TENANT_RECORD_RETENTION_MONTHS", default=6)

# --- Auth and sessions ----------------------------------------------------
AUTH_USER_MODEL = "communities.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "communities.auth.PersonModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Absolute limit for every session; the middleware also ends sessions of
# staff, Party secretaries and town roles after 30 minutes idle.
SESSION_ENGINE = "communities.sessions"  # database sessions, read with one fixed statement
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_PRIVILEGED_IDLE_SECONDS = 30 * 60

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy: its addresses (comma-separated, networks allowed), so the lockout keys on the client's
# address from X-Forwarded-For instead of the proxy's (communities/client_ip.py). Empty: REMOTE_ADDR as it is.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="HTTP_X_FORWARDED_FOR")
AXES_CLIENT_IP_CALLABLE = "communities.client_ip.client_ip"

# --- I18n --------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Chinese date inputs render ISO dates, which <input type="date"> can show (luodian/formats/zh_Hans).
FORMAT_MODULE_PATH = ["luodian.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Uploads are served only through views that check access, never by the web
# server directly: keep MEDIA_ROOT outside STATIC_ROOT and the web root.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env.bool("MANIFEST_STATIC", default=True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="罗店社区治理 <noreply@luodian.local>")

# --- SMS (one-time sign-in codes; communities/sms) --------------------------
# The file backend appends each message to var/sms/messages.jsonl for development; production sets
# communities.sms.aliyun.AliyunBackend and its SMS_ALIYUN_* variables (a system check warns otherwise).
SMS_BACKEND = env.str("SMS_BACKEND", default="communities.sms.backends.FileBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms" / "messages.jsonl"))
SMS_TIMEOUT_SECONDS = env.float("SMS_TIMEOUT_SECONDS", default=5.0)
SMS_ALIYUN_ENDPOINT = env.str("SMS_ALIYUN_ENDPOINT", default="https://dysmsapi.aliyuncs.com/")
SMS_ALIYUN_ACCESS_KEY_ID = env.str("SMS_ALIYUN_ACCESS_KEY_ID", default="")
SMS_ALIYUN_ACCESS_KEY_SECRET = env.str("SMS_ALIYUN_ACCESS_KEY_SECRET", default="")
SMS_ALIYUN_SIGN_NAME = env.str("SMS_ALIYUN_SIGN_NAME", default="")
SMS_ALIYUN_TEMPLATE_CODE = env.str("SMS_ALIYUN_TEMPLATE_CODE", default="")

# --- Security (production defaults; every one can be overridden) ------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_HTTPS_PROXY", default=not DEBUG) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything is vendored under static/ and no template has inline scripts or styles (see
# communities.middleware.ContentSecurityPolicyMiddleware); data: images are Bootstrap's form-control icons.
CONTENT_SECURITY_POLICY = env.str("CONTENT_SECURITY_POLICY", default=(
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Project settings ---------------------------------------------------------
DEMO_PASSWORD = "luodian2026"  # demo data only: seed_demo refuses to run with DEBUG off unless told
TOWN_NAME = _("罗店镇")
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
