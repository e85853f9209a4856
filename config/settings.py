"""Workbench settings: everything comes from the environment, with safe defaults for development."""

import os
import sys
import warnings
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_networks,
    sqlite_database,
)

# python-docx brings lxml, and openpyxl then writes XML with lxml, which leaves a carriage return
# in a cell unescaped, so it reads back as a line feed: keep openpyxl on its own writer.
os.environ.setdefault("OPENPYXL_LXML", "False")

BASE_DIR = Path(__file__).resolve().parent.parent

# Debug is on by default only for the development server; everything else (gunicorn, commands,
# tests) runs with production behaviour unless DJANGO_DEBUG says otherwise.
RUNNING_DEVSERVER = len(sys.argv) > 1 and sys.argv[1] == "runserver"
# pytest sets PYTEST_VERSION while it runs (and its subprocesses inherit it).
RUNNING_TESTS = "PYTEST_VERSION" in os.environ
DEBUG = env_bool("DJANGO_DEBUG", default=RUNNING_DEVSERVER)

SECRET_KEY_FROM_ENV = bool(os.environ.get("DJANGO_SECRET_KEY"))
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-development-only-key-do-not-use-in-production"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
if not ALLOWED_HOSTS and not DEBUG:
    # An empty list would answer every request with 400 Bad Request and no clue why.
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is set but names no host; list the server's host names, "
        "e.g. DJANGO_ALLOWED_HOSTS=workbench.example.org (or unset it for local use)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "assessments",
    "workshops",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so only static files escape it: every page and file is no-store.
    "config.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signs out an idle or too-old session before LoginRequiredMiddleware looks at the user.
    "config.sessions.SessionTimeoutMiddleware",
    "config.sessions.SignInRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Refuses oversized bodies before anything reads them. CsrfViewMiddleware reads the body in
    # process_view, which runs only after every middleware's request phase, this one's included.
    "config.middleware.UploadSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": (
        database_from_url(DATABASE_URL, base_dir=BASE_DIR)
        if DATABASE_URL
        else sqlite_database(BASE_DIR / "db.sqlite3")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: five failures for one username from one address lock it for 15 minutes,
# and twenty from one address, whatever the usernames, lock the address (config.throttle);
# `manage.py axes_reset_username <name>` unlocks early. The password-change form counts too.
AXES_HANDLER = "config.throttle.SignInThrottle"
AXES_FAILURE_LIMIT = env_int("WORKBENCH_LOGIN_FAILURE_LIMIT", 5, minimum=1)
WORKBENCH_ADDRESS_FAILURE_LIMIT = env_int("WORKBENCH_LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("WORKBENCH_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# What a successful sign-in clears: only that username's failures from that address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Never store what was typed into a password field in axes' log of failed attempts.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.views.locked_out"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessments:home"
LOGOUT_REDIRECT_URL = "login"
# Absolute: a session ends this long after signing in, however active (config.sessions).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 60 * 60, minimum=60)
# Idle: and after this long without a request of the person's own (a page's polling is not).
SESSION_IDLE_SECONDS = env_int("DJANGO_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# Requests a page makes by itself, which do not count as activity: the dashboard's polling.
SESSION_PASSIVE_URL_NAMES = {"workshops:live"}
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# In production `manage.py collectstatic` writes content-hashed, compressed copies to
# STATIC_ROOT with a manifest; whitenoise then serves them with a year-long max-age. Debugging,
# tests, and any run before collectstatic serve static/ as it is (the manifest storage would
# refuse to name a file it has not collected).
COLLECTING_STATIC = len(sys.argv) > 1 and sys.argv[1] == "collectstatic"
SERVE_COLLECTED_STATIC = (
    not DEBUG
    and not RUNNING_TESTS
    and (COLLECTING_STATIC or (STATIC_ROOT / "staticfiles.json").is_file())
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if SERVE_COLLECTED_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not SERVE_COLLECTED_STATIC
if WHITENOISE_USE_FINDERS:
    # Files come from the finders, so a missing STATIC_ROOT is expected, not worth a warning.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads: anything bigger than this is refused with a message that says the limit.
UPLOAD_MAX_MB = env_int("WORKBENCH_UPLOAD_MAX_MB", 100, minimum=1)
# Requests over UPLOAD_MAX_MB (+1 MB for form fields and multipart boundaries) are refused
# unread by config.middleware.UploadSizeLimitMiddleware.
# Form fields other than files: the longest is a narrative text, far below 2.5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Every uploaded file streams to a temporary file on disk as it arrives, never into memory,
# whatever its size: the record import's engine then reads it from there, in place.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 0

# Email (invitations, password resets): SMTP when EMAIL_HOST is set, else printed to the
# console, so development needs no mail server. Tests use Django's in-memory outbox.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    if "EMAIL_USE_TLS" in os.environ:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
    EMAIL_USE_TLS = False  # SSL asked for explicitly: the TLS default gives way
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or None  # the file-based backend's folder
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Workbench <workbench@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Whether mail leaves the machine: if not, admins are told to copy invitation links themselves.
WORKBENCH_EMAIL_CONFIGURED = bool(EMAIL_HOST) or "EMAIL_BACKEND" in os.environ
# Links in mail sent from the command line (the web uses the request's own address).
WORKBENCH_SITE_URL = os.environ.get("WORKBENCH_SITE_URL", "http://localhost:8000")
WORKBENCH_INVITATION_DAYS = env_int("WORKBENCH_INVITATION_DAYS", 7, minimum=1)
# Password-reset links last this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = env_int("WORKBENCH_PASSWORD_RESET_HOURS", 24, minimum=1) * 3600

# Security: secure by default whenever debug is off; a TLS-terminating proxy is opt-in.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and stylesheets only from our own static files; no inline scripts or style attributes.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", default=False)
# Only these may say who the client is (X-Forwarded-For): a proxy on this machine by default.
WORKBENCH_TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind the proxy every request comes from the proxy's address: login throttling must
    # count the client the proxy saw, or one person's failures would lock everyone out.
    AXES_CLIENT_IP_CALLABLE = "config.proxy.client_ip_address"
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
