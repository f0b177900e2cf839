"""Fazhi settings, read from the environment.

Production is the default: DEBUG off, a SECRET_KEY must be given, cookies secure.
Development defaults only when FAZHI_ENV=development (or test) is set explicitly.
"""

from datetime import timedelta
from pathlib import Path
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from fazhi.envfile import var_dir

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir()

ENV = os.environ.get("FAZHI_ENV", "production")
if ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured("FAZHI_ENV 只能是 production、development 或 test")
DEV = ENV in {"development", "test"}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    value = value.strip().lower()
    if value not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        # a typo must not quietly turn a security setting off
        raise ImproperlyConfigured(f"环境变量 {name} 应为 1/0、true/false、yes/no 或 on/off(现为「{value}」)")
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数(现为「{value}」)") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [v.strip() for v in value.split(",") if v.strip()] if value else default


DEBUG = env_bool("DEBUG", ENV == "development")

SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "django-insecure-development-only-key-do-not-use-in-production" if DEV else ""
)
if not SECRET_KEY:
    raise ImproperlyConfigured("生产环境必须设置环境变量 SECRET_KEY(至少 50 个随机字符)")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEV else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "axes",
    "fazhi.core",
    "fazhi.org",
    "fazhi.deadlines",
    "fazhi.procedures",
    "fazhi.programme",
    "fazhi.decisions",
    "fazhi.normdocs",
    "fazhi.remedies",
    "fazhi.enforcement",
    "fazhi.dashboard",
    "fazhi.portal",  # before captcha: its template of the CAPTCHA widget (Chinese alt text) wins
    "captcha",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it must see the authenticated user and the final response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

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
                "fazhi.core.context_processors.fazhi",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'fazhi.sqlite3'}",
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except ValueError:  # an unknown scheme or a malformed URL
    raise ImproperlyConfigured("环境变量 DATABASE_URL 无效,应形如 postgres://用户:密码@主机:端口/库名 "
                               "或 sqlite:////绝对路径") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the gunicorn workers read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout keyed on username + IP together: a whole office shares one address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Each attempt during a lock restarts the wait (the lockout page says so, with the minutes configured here).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_CALLABLE = "fazhi.core.views.locked_out"
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_VERBOSE = False

# Idle timeout: the session lives SESSION_IDLE_MINUTES after the last request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEV)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEV)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEV else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEV
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", not DEV):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [] if env_bool("SECURE_HSTS_PRELOAD", False) else ["security.W021"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: evidence goes through scoped views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if ENV == "test"
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Limits of one request (beyond them: 400 with the reason in Chinese, JSON under /api/).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # everything but files; JSON bodies too
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so an anonymous caller gets 401 with a WWW-Authenticate header.
        "fazhi.core.drf.BearerTokenAuthentication",
        "fazhi.core.drf.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "fazhi.core.drf.HasAnyRole"],
    "DEFAULT_PAGINATION_CLASS": "fazhi.core.drf.Pagination",
    "PAGE_SIZE": 50,
    # JSON bodies only (nested data needs it); the one upload takes multipart on its own view.
    "DEFAULT_PARSER_CLASSES": ["fazhi.core.drf.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["fazhi.core.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "fazhi.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "fazhi.core.drf.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "法治 Fazhi API",
    "DESCRIPTION": "依法行政示范区创建工作平台接口。会话认证(浏览器)或 `Authorization: Token <key>`(脚本)。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # A procedure step's role appears in several components (definitions, a record's steps): one enum name.
    "ENUM_NAME_OVERRIDES": {"StepRoleEnum": "fazhi.procedures.rules.STEP_ROLES.items",
                            "HearingKindEnum": "fazhi.remedies.litigation.models.HEARING_KINDS",
                            "PenaltySourceEnum": "fazhi.enforcement.penalty.models.SOURCES",
                            "PenaltyProcedureKindEnum": "fazhi.enforcement.penalty.models.PROCEDURE_KINDS",
                            "PenaltyOfficerRoleEnum": "fazhi.enforcement.penalty.models.OFFICER_ROLES",
                            "PenaltyUndoneKindEnum": "fazhi.enforcement.penalty.models.UNDONE_KINDS",
                            "FaultSourceEnum": "fazhi.enforcement.fault.models.SOURCES",
                            "SubjectKindEnum": "fazhi.enforcement.subjects.models.SUBJECT_KINDS",
                            "PowerKindEnum": "fazhi.enforcement.subjects.models.POWER_KINDS",
                            "CertificateKindEnum": "fazhi.enforcement.subjects.models.CERT_KINDS"},
}

SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Product settings
FAZHI = {
    "OFFICE_LABEL": os.environ.get("FAZHI_OFFICE_LABEL", "法制办"),
    "DISTRICT_NAME": os.environ.get("FAZHI_DISTRICT_NAME", "区依法行政示范区创建"),
    "WARNING_DAYS": env_int("FAZHI_WARNING_DAYS", 7),
    "MAX_PAGE_SIZE": 200,
    "MAX_UPLOAD_MB": env_int("FAZHI_MAX_UPLOAD_MB", 20),
    # An import reads at most this many rows (a file over it is refused) and lists this many errors.
    "IMPORT_MAX_ROWS": env_int("FAZHI_IMPORT_MAX_ROWS", 5000),
    "IMPORT_MAX_ERRORS": env_int("FAZHI_IMPORT_MAX_ERRORS", 200),
    # The office's own 公文 template (.docx: page setup and styles); empty = the one in core/data/.
    "GONGWEN_TEMPLATE": os.environ.get("FAZHI_GONGWEN_TEMPLATE", ""),
    # 版头: 发文机关标志 and the 机关代字 before 〔年份〕序号号 in the 发文字号 (e.g. "X法治办"; empty: none).
    "GONGWEN_ISSUER": os.environ.get("FAZHI_GONGWEN_ISSUER", "区全面推进依法行政工作领导小组办公室"),
    "GONGWEN_CODE": os.environ.get("FAZHI_GONGWEN_CODE", ""),
    # Public submissions: per address and clock hour (counted in the database), and failed tracking queries.
    "PUBLIC_SUBMIT_PER_HOUR": env_int("FAZHI_PUBLIC_SUBMIT_PER_HOUR", 5),
    "PUBLIC_QUERY_FAILURES_PER_HOUR": env_int("FAZHI_PUBLIC_QUERY_FAILURES_PER_HOUR", 10),
    # Proxies in front whose X-Forwarded-For is believed (0: the connection's own address).
    "TRUSTED_PROXY_COUNT": env_int("TRUSTED_PROXY_COUNT", 0),
}

# django-simple-captcha (public forms): images drawn on the server, nothing fetched from outside.
# 30 minutes: long enough to write a suggestion after the page opened.
CAPTCHA_TIMEOUT = env_int("FAZHI_CAPTCHA_MINUTES", 30)
CAPTCHA_LENGTH = 4
