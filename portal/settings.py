"""Settings for the customer portal, driven by environment variables.

Every value a deployment may change is read from the environment (or a `.env`
file beside manage.py); `.env.example` lists them. With DEBUG off the portal
refuses to start without SECRET_KEY, DATABASE_URL and CELERY_BROKER_URL, so a
production machine can never fall back to the embedded development defaults.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _required(name, dev_default):
    """A value production must set; development falls back to an embedded default."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} is not set. Set it in the environment (see .env.example), "
        "or set DEBUG=true to run with the embedded development defaults."
    )


SECRET_KEY = _required("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal",
    "accounts",
    "deadlines",
    "appeals",
    "contracts",
    "billing",
    "notifications",
    "surveys",
    "pages",
    "cabinet",
    "monitoring",
    "privacy",
    "audit",
    "simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # After the django_otp plugins: its admin replaces theirs (a second factor changes only through a recorded reset).
    "staffauth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    # Saves an active session at most once a minute (SESSION_RENEW_SECONDS) instead of on every request.
    "accounts.middleware.SessionRenewalMiddleware",
    "portal.middleware.ExplicitLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Keeps the request for the history rows: who changed a record, from which address.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Staff pages (the admin) only after the second factor: enrolment or a code.
    "staffauth.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: the 405 page is drawn in the site's layout.
    "portal.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The per-address rate and the per-account slowdown on every login form, the admin's too.
    "accounts.login_guard.LoginGuardMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
# An expired or cookie-less form gets the portal's page, not Django's advice to set DEBUG=True.
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {"default": env.db_url_config(_required("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# SQLite is the embedded development default; these options let a demo take a
# few people filing at once next to the Celery worker. WAL lets readers run
# beside the one writer; IMMEDIATE takes the write lock when a transaction
# begins, so two transactions that read and then write queue on the busy
# timeout instead of one failing at once with "database is locked" (a deferred
# transaction cannot wait to upgrade its read lock); synchronous=NORMAL is
# safe with WAL and spares an fsync per commit.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
# A shared cache (Redis) is needed in production for rate limits to hold across
# web workers; development runs with an in-process cache.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered page fragments that are the same for everyone (the footer, the main menu: templates/includes/),
# kept in each process: they change only with a deployment, which restarts the processes.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}

# --- Accounts, passwords, sessions ----------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes' lockout check, marking the attempts it refuses (accounts/login_guard.py).
    "accounts.login_guard.GuardedAxesBackend",
    # Django's ModelBackend, reading the person of each request by a query compiled once (accounts/backends.py).
    "accounts.backends.UserBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    # Contracts' binding codes (never passwords): a peppered HMAC, see contracts/codes.py for why.
    "contracts.codes.BindingCodeHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cabinet"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day: links in mail are single-use anyway

# Idle sessions end after 30 minutes: SessionRenewalMiddleware renews an active session (and its
# cookie) at most once a minute rather than writing it on every request (issue 11: three queries a
# page); AbsoluteSessionLifetimeMiddleware ends any session 12 hours after login.
# Django's database sessions, read by a query compiled once per process (accounts/sessions.py). Not
# cached_db: a logout while Redis is unreachable would leave the session in the cache, alive again
# when Redis comes back.
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: 5 wrong passwords lock the pair (account, client address) for 30 minutes.
# A stranger's guesses lock only the stranger: the owner, from their own address, still
# logs in. Guessing from many addresses is slowed per account instead (accounts/login_guard.py).
# The change history is looked at, never rolled back from the admin (audit.admin.HistoryAdmin).
SIMPLE_HISTORY_REVERT_DISABLED = True

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# Reverse proxies of our own in front of the portal: the client's address is the one the outermost saw
# (accounts.security.client_ip, which axes uses too; django-ipware is not installed, its settings do nothing).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are private: never under STATIC_ROOT, never served by URL,
# only through views that check who asks.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# No URL route serves this prefix; it only has to differ from STATIC_URL.
MEDIA_URL = "/private-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ----------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Celery ---------------------------------------------------------------
# The embedded default is kombu's filesystem transport under var/broker, so
# `make run` needs no server; production sets CELERY_BROKER_URL to Redis.
CELERY_BROKER_URL = _required("CELERY_BROKER_URL", "filesystem://")
BROKER_DIR = VAR_DIR / "broker"
# The longest a request may wait on the broker (connect or any reply) before it gives up.
BROKER_TIMEOUT_SECONDS = env.float("BROKER_TIMEOUT_SECONDS", default=2.0)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        # Exchange bindings; kombu's default is a "control" folder in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
    }
REDIS_BROKER_TRANSPORT_OPTIONS = {
    # A customer's request publishes after commit and never waits on the broker
    # for more than about BROKER_TIMEOUT_SECONDS, whether Redis refuses the
    # connection (connect timeout) or accepts it and hangs (socket timeout).
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_timeout": BROKER_TIMEOUT_SECONDS,
    # Redis redelivers unacknowledged tasks after this; tasks are short.
    "visibility_timeout": 3600,
}
if not CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
# Publishing never retries (enqueue_delivery passes retry=False; this is the default for
# any other caller): the outbox row waits for the sweeper instead of the customer waiting.
CELERY_TASK_PUBLISH_RETRY = False
# /healthz asks the broker with a shorter timeout still: a load balancer's probe must answer fast.
HEALTHZ_BROKER_TIMEOUT_SECONDS = env.float("HEALTHZ_BROKER_TIMEOUT_SECONDS", default=1.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Security -------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Everything is served from our own origin: no CDNs, fonts, analytics or
# captchas from elsewhere (152-ФЗ keeps personal data in the country).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- The company and its rules --------------------------------------------
# The portal's public origin (https://lk.example.ru): links in emails, feeds, canonical URLs.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
PORTAL_COMPANY_NAME = env.str("PORTAL_COMPANY_NAME", default="АО «Энергосбыт»")
PORTAL_SUPPORT_PHONE = env.str("PORTAL_SUPPORT_PHONE", default="+7 800 000-00-00")
PORTAL_SUPPORT_EMAIL = env.str("PORTAL_SUPPORT_EMAIL", default="help@localhost")
# Personal account numbers are supplier-specific.
PERSONAL_ACCOUNT_REGEX = env.str("PERSONAL_ACCOUNT_REGEX", default=r"^\d{10,12}$")
PHONENUMBER_DEFAULT_REGION = "RU"
PHONENUMBER_DB_FORMAT = "E164"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- accounts ---
# Links in confirmation mail (registration, email change) work this long, once.
ACCOUNTS_EMAIL_LINK_MAX_AGE = env.int("ACCOUNTS_EMAIL_LINK_MAX_AGE", default=3 * 24 * 60 * 60)
ACCOUNTS_INVITATION_MAX_AGE = env.int("ACCOUNTS_INVITATION_MAX_AGE", default=7 * 24 * 60 * 60)
# Invitations one organisation may send in 24 hours: an organisation cannot become a mail relay.
ACCOUNTS_INVITATIONS_PER_DAY = env.int("ACCOUNTS_INVITATIONS_PER_DAY", default=20)
# 152-ФЗ ст. 21 ч. 5: processing stops within 30 days of the withdrawal of consent. The due
# date comes from the deadlines rule "pd.consent_withdrawal"; this is the law's own term,
# used only while that rule is missing or switched off.
ACCOUNTS_CLOSURE_DAYS = 30
# Per-address limits on the login and registration forms (django-ratelimit, the
# "default" cache: Redis in production so that all web workers share counters).
ACCOUNTS_LOGIN_RATE = env.str("ACCOUNTS_LOGIN_RATE", default="30/10m")
# Wrong passwords for one account from every address, counted per window: past SLOWDOWN_AFTER an
# address the account never logged in from waits 1, 2, 4 … seconds (at most SLOWDOWN_MAX_SECONDS)
# after the last failure; at ALERT_AFTER the owner gets an email, once per window.
ACCOUNTS_LOGIN_FAILURE_WINDOW_SECONDS = env.int("ACCOUNTS_LOGIN_FAILURE_WINDOW_SECONDS", default=24 * 60 * 60)
ACCOUNTS_LOGIN_SLOWDOWN_AFTER = env.int("ACCOUNTS_LOGIN_SLOWDOWN_AFTER", default=10)
ACCOUNTS_LOGIN_SLOWDOWN_MAX_SECONDS = env.int("ACCOUNTS_LOGIN_SLOWDOWN_MAX_SECONDS", default=5 * 60)
ACCOUNTS_LOGIN_ALERT_AFTER = env.int("ACCOUNTS_LOGIN_ALERT_AFTER", default=10)
# A logged-in person retyping their password (email change): this many wrong ones, then a wait.
ACCOUNTS_PASSWORD_CHECK_ATTEMPTS = env.int("ACCOUNTS_PASSWORD_CHECK_ATTEMPTS", default=5)
ACCOUNTS_PASSWORD_CHECK_LOCK_SECONDS = env.int("ACCOUNTS_PASSWORD_CHECK_LOCK_SECONDS", default=30 * 60)
ACCOUNTS_REGISTRATION_RATE = env.str("ACCOUNTS_REGISTRATION_RATE", default="20/h")
RATELIMIT_USE_CACHE = "default"
# Failures count per account whatever letter case the email was typed in.
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"

# --- contracts: binding a personal account or a contract to a login ---------------
# Wrong number-or-code attempts one login may make for one number within the lock time; then that pair
# (login, number) waits until the lock ends. Counted per login, so a stranger never locks out the owner.
CONTRACTS_BINDING_ATTEMPTS = env.int("CONTRACTS_BINDING_ATTEMPTS", default=5)
CONTRACTS_BINDING_LOCK_SECONDS = env.int("CONTRACTS_BINDING_LOCK_SECONDS", default=60 * 60)
# Across all numbers: one login guessing at many accounts stops after this many failures in the lock time.
CONTRACTS_BINDING_USER_ATTEMPTS = env.int("CONTRACTS_BINDING_USER_ATTEMPTS", default=20)

# --- staffauth: staff sign in with a second factor (TOTP, django-otp) ----------
# The issuer an authenticator app shows beside the account.
STAFFAUTH_TOTP_ISSUER = env.str("STAFFAUTH_TOTP_ISSUER", default="Личный кабинет")
# Wrong codes one login session may type within the window; then that session waits for the window
# to end. Counted per session, never per account: a stranger cannot lock the owner out.
STAFFAUTH_CODE_ATTEMPTS = env.int("STAFFAUTH_CODE_ATTEMPTS", default=5)
STAFFAUTH_CODE_WINDOW_SECONDS = env.int("STAFFAUTH_CODE_WINDOW_SECONDS", default=15 * 60)
# Recovery codes made at enrolment (each works once).
STAFFAUTH_RECOVERY_CODES = 10
# django-otp's own per-device throttling would let anyone holding the password slow the owner's device
# down; the per-session limit above replaces it.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = STAFFAUTH_TOTP_ISSUER

# --- pages ------------------------------------------------------------------
# The public origin for canonical links, feeds and the sitemap (e.g. https://lk.example.ru);
# empty: the origin of each request (ALLOWED_HOSTS keeps it honest).
PAGES_SITE_URL = SITE_URL
# Questions from visitors without an account, per client address (django-ratelimit syntax).
PAGES_QUESTION_RATE = env.str("PAGES_QUESTION_RATE", default="5/h")
PAGES_STATUS_CHECK_RATE = env.str("PAGES_STATUS_CHECK_RATE", default="20/h")

# --- notifications ----------------------------------------------------------
# Absolute links in emails and SMS point here (the web has no request at send time).
NOTIFICATIONS_SITE_URL = SITE_URL or "http://127.0.0.1:8000"
# Right-hand side of every email's Message-ID; defaults to the sender's domain.
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env.str(
    "NOTIFICATIONS_MESSAGE_ID_DOMAIN", default=DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
)
# Delivery attempts before a row is marked failed, and the first retry delay
# (doubled after each attempt, capped): 1, 2, 4 … minutes, at most 6 hours.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=6 * 60 * 60)
# A row left "sending" this long belongs to a worker that stopped; the sweeper
# returns it to the queue. A live worker renews its claim right before each send,
# so this only has to exceed one send (a few EMAIL_TIMEOUTs), not a whole batch:
# a dead worker's rows go out again within this plus one sweep interval (~3 min).
NOTIFICATIONS_STALE_AFTER_SECONDS = env.int("NOTIFICATIONS_STALE_AFTER_SECONDS", default=2 * 60)
# Rows one sweep claims at a time: small, so a worker that dies strands few messages.
NOTIFICATIONS_SWEEP_BATCH = env.int("NOTIFICATIONS_SWEEP_BATCH", default=10)
# How SMS leave the portal: a dotted path to a notifications.sms.SmsBackend
# subclass. The default only writes the message to the log.
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.LogSmsBackend")

# --- Billing: online payments and notices (billing/) -------------------------
# The payment provider (billing/payments/): the development provider inside the portal when DEBUG is on,
# none otherwise (online payment is then off) until YooKassa is configured.
PAYMENTS_PROVIDER = env.str(
    "PAYMENTS_PROVIDER", default="billing.payments.development.DevelopmentProvider" if DEBUG else ""
)
YOOKASSA_SHOP_ID = env.str("YOOKASSA_SHOP_ID", default="")
YOOKASSA_SECRET_KEY = env.str("YOOKASSA_SECRET_KEY", default="")
# Days a household debt warning gives to pay (ПП 354 п. 119: 20), calendar days by the production calendar.
BILLING_DEBT_PAYMENT_DAYS = env.int("BILLING_DEBT_PAYMENT_DAYS", default=20)
SMS_SENDER_NAME = env.str("SMS_SENDER_NAME", default="")

# Who is told at once when a new appeal arrives unassigned (in-app and email, per their
# preferences; the notice links to the appeal's admin page): active staff in this group
# (by name; empty for nobody) and/or one shared address (empty for none).
APPEALS_NEW_APPEAL_NOTIFY_GROUP = env.str("APPEALS_NEW_APPEAL_NOTIFY_GROUP", default="Руководители")
APPEALS_NEW_APPEAL_NOTIFY_EMAIL = env.str("APPEALS_NEW_APPEAL_NOTIFY_EMAIL", default="")

# Reminders one scan may send; a larger backlog drains over the next scans.
APPEALS_REMINDERS_PER_SCAN = env.int("APPEALS_REMINDERS_PER_SCAN", default=300)
# Filing from the cabinet, at most N appeals per period ("10/h", "30/h", "100/d"), counted in the
# database (the appeals filed in the window), so the limit holds across every web process.
APPEALS_FILING_RATE_USER = env.str("APPEALS_FILING_RATE_USER", default="10/h")
APPEALS_FILING_RATE_ORGANISATION = env.str("APPEALS_FILING_RATE_ORGANISATION", default="30/h")

# --- contracts: meter readings ---
# The monthly window for readings by hand, days of the month in the company's time zone (TIME_ZONE),
# both included; a last day past the month's end means its last day. Suppliers use 15–26, 20–25, 23–25.
READINGS_WINDOW_FIRST_DAY = env.int("READINGS_WINDOW_FIRST_DAY", default=15)
READINGS_WINDOW_LAST_DAY = env.int("READINGS_WINDOW_LAST_DAY", default=26)
# An unusually high consumption (design: «not implausibly high against the previous period»): more than
# FACTOR times the month's usual consumption (from the two readings before) and more than MIN_KWH a month.
# The customer may confirm it with a comment; staff then review it (admin → «Показания», «нужна проверка»).
READINGS_UNUSUAL_FACTOR = env.float("READINGS_UNUSUAL_FACTOR", default=3.0)
READINGS_UNUSUAL_MIN_KWH = env.int("READINGS_UNUSUAL_MIN_KWH", default=300)
# An organisation's readings file: at most this many bytes and rows.
READINGS_UPLOAD_MAX_BYTES = env.int("READINGS_UPLOAD_MAX_BYTES", default=2 * 1024 * 1024)
READINGS_UPLOAD_MAX_ROWS = env.int("READINGS_UPLOAD_MAX_ROWS", default=5000)
# Reminders one scan may write (people for the window, meters for the verification date).
READINGS_REMINDERS_PER_SCAN = env.int("READINGS_REMINDERS_PER_SCAN", default=500)

# --- contracts: applications (ПП 442 п. 39) ---
# Staff reminders one scan may send (contracts/reminders_applications.py).
CONTRACT_APPLICATIONS_REMINDERS_PER_SCAN = env.int("CONTRACT_APPLICATIONS_REMINDERS_PER_SCAN", default=500)

# --- privacy: data-subject requests (152-ФЗ) ---
# Staff reminders one scan may send (privacy/reminders.py); a larger backlog drains over the next scans.
PRIVACY_REMINDERS_PER_SCAN = env.int("PRIVACY_REMINDERS_PER_SCAN", default=500)

# --- Celery beat: the whole schedule, in one place --------------------------
# A static schedule rather than django-celery-beat: every periodic job here is
# an idempotent scan (reminder ladders and their thresholds are data in the
# admin, the schedule is not), so there is nothing for staff to edit and no
# database scheduler to keep in sync. Run exactly ONE beat process per
# deployment (`celery -A portal beat`); a second one is harmless — the jobs
# claim rows and create reminders under unique constraints — only wasteful.
MONITORING_ROLLUP_WINDOW_DAYS = env.int("MONITORING_ROLLUP_WINDOW_DAYS", default=62)

CELERY_BEAT_SCHEDULE = {
    # The dashboard's daily rollups (monitoring/rollups.py): today and yesterday often, a window nightly.
    "monitoring-rollups-recent": {
        "task": "monitoring.tasks.refresh_recent_rollups",
        "schedule": env.int("MONITORING_ROLLUP_RECENT_SECONDS", default=15 * 60),
        "options": {"expires": 14 * 60},
    },
    "monitoring-rollups-window": {
        "task": "monitoring.tasks.refresh_rollup_window",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    "notifications-sweep": {
        "task": "notifications.tasks.sweep_notifications",
        "schedule": env.int("NOTIFICATIONS_SWEEP_SECONDS", default=60),
        "options": {"expires": 55},
    },
    # Deadline reminders, escalations and the morning digest (appeals/reminders.py).
    "appeals-reminder-scan": {
        "task": "appeals.tasks.scan_appeal_reminders",
        "schedule": env.int("APPEALS_REMINDER_SCAN_SECONDS", default=5 * 60),
        "options": {"expires": 4 * 60},
    },
    # Readings: the window opened and nothing was submitted; a meter's verification is near (contracts/reminders.py).
    # A new bill or document, a debt warning billing marked (billing/reminders.py).
    "billing-notices-scan": {
        "task": "billing.tasks.scan_billing_notices",
        "schedule": env.int("BILLING_NOTICES_SCAN_SECONDS", default=5 * 60),
        "options": {"expires": 4 * 60},
    },
    "contracts-readings-reminder-scan": {
        "task": "contracts.tasks.scan_reading_reminders",
        "schedule": env.int("READINGS_REMINDER_SCAN_SECONDS", default=60 * 60),
        "options": {"expires": 55 * 60},
    },
    # Contract applications: 3 and 1 working days before the due, overdue daily (contracts/reminders_applications.py).
    "contracts-application-reminder-scan": {
        "task": "contracts.tasks.scan_application_reminders",
        "schedule": env.int("CONTRACT_APPLICATIONS_REMINDER_SCAN_SECONDS", default=15 * 60),
        "options": {"expires": 14 * 60},
    },
    # Data-subject requests (152-ФЗ): 3 and 1 working days before the due, overdue daily (privacy/reminders.py).
    # The retention rules (privacy.RetentionRule), nightly: each run is one audit.BulkChange with its totals.
    "privacy-retention": {
        "task": "privacy.tasks.apply_retention_rules",
        "schedule": env.int("PRIVACY_RETENTION_SECONDS", default=24 * 60 * 60),
        "options": {"expires": 60 * 60},
    },
    "privacy-request-reminders": {
        "task": "privacy.tasks.scan_subject_request_reminders",
        "schedule": env.int("PRIVACY_REMINDER_SCAN_SECONDS", default=30 * 60),
        "options": {"expires": 29 * 60},
    },
}
