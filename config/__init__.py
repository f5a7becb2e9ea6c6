"""Configuration classes; every setting can be overridden by an ``ARNET_<NAME>`` variable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"

_MiB = 1024 * 1024
ASYNC_MODES = ("threading", "gevent")
LOG_FORMATS = ("json", "text")
ATTACHMENT_STORES = ("filesystem", "database")


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete; the application refuses to start."""


class BaseConfig:
    """Defaults shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    REDIS_URL: str | None = None
    # Names this deployment's Socket.IO channel and rate-limit keys in Redis, so that two
    # deployments (or two test runs) sharing one Redis never hear each other.
    REDIS_PREFIX = "arnet"
    KEYRING: str | None = None
    KEYRING_AUTOCREATE = False
    # The audit chain's head is written here (and logged) after administrative actions and
    # at least every AUDIT_CHECKPOINT_MINUTES while records are added; default instance/.
    AUDIT_CHECKPOINT: str | None = None
    AUDIT_CHECKPOINT_MINUTES = 5
    AUDIT_CHECKPOINT_TIMER = True
    # How often a running process looks whether rotate-keys replaced the keyring file (one
    # stat); rotate-keys waits twice as long before it re-wraps, so no process is left behind.
    KEYRING_CHECK_SECONDS = 1

    HOST = "127.0.0.1"
    PORT = 5000
    # How many reverse proxies stand in front (nginx alone: 1). Their X-Forwarded-* headers
    # give the client's address to throttling, audit and sessions; with 0, a client's own
    # X-Forwarded-For is ignored.
    TRUSTED_PROXIES = 0
    # Browsers may open Socket.IO connections only from these origins (never "*"); empty means
    # the site's own address from HOST and PORT.
    ALLOWED_ORIGINS = ""

    # Sign-in. PASSWORD_PROFILE names an argon2-cffi profile (argon2.profiles).
    PASSWORD_PROFILE = "RFC_9106_LOW_MEMORY"  # noqa: S105 - a parameter profile, not a secret
    TOTP_REQUIRED = True
    DEMO_PASSWORD_ONLY = False
    SESSION_IDLE_MINUTES = 30
    SESSION_ABSOLUTE_HOURS = 12
    SIGNIN_FAILURES_PER_ACCOUNT = 5
    SIGNIN_FAILURES_PER_ADDRESS = 20
    SIGNIN_FAILURE_WINDOW_MINUTES = 15
    ENROLMENT_CODE_HOURS = 72
    # The longest a personal access token lives, and its lifetime when none is asked for.
    TOKEN_MAX_DAYS = 90

    # Socket.IO: "threading" (gunicorn -k gthread, or the embedded server) or "gevent"
    # (gunicorn -k gevent); the README's benchmark section says why threading is the default.
    ASYNC_MODE = "threading"
    # Messages one user may send, over REST and Socket.IO together (one counter), in the
    # notation of the limits library.
    MESSAGE_SEND_LIMIT = "120/minute"

    # Request sizes.
    JSON_MAX_BYTES = 1 * _MiB
    # Arrays and objects nested deeper than this are refused before parsing (no ARNet body
    # nests beyond five levels; Python's parser would hit its recursion limit near a thousand).
    JSON_MAX_DEPTH = 32
    MESSAGE_MAX_BYTES = 64 * 1024
    ATTACHMENT_MAX_BYTES = 100 * _MiB
    ATTACHMENT_DIR: str | None = None
    # "filesystem": encrypted files in ATTACHMENT_DIR (the embedded default); "database":
    # encrypted segments in PostgreSQL, so every machine on the database serves every file.
    ATTACHMENT_STORE = "filesystem"
    # ``network clean-uploads`` (and each server's start) removes the file of an upload never
    # attached to a message after this long, and what a broken upload left after the second.
    UPLOAD_UNATTACHED_MINUTES = 24 * 60
    UPLOAD_PARTIAL_MINUTES = 60

    # Mail: "smtp" sends through MAIL_SERVER; "outbox" writes .eml files to instance/outbox;
    # "memory" keeps them in a list for tests.
    MAIL_BACKEND = "outbox"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "ARNet <no-reply@arnet.invalid>"

    # The reminder job e-mails an offline member about unread messages in a case at most once
    # per this many hours (the case reference and a link, never the content).
    UNREAD_NOTICE_INTERVAL_HOURS = 24

    BASE_URL = ""  # the address in e-mailed links; empty means http://HOST:PORT
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "arnet_session"
    WTF_CSRF_TIME_LIMIT: int | None = None
    FORCE_HTTPS = False

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = "ar,zh,en,fr,ru,es"

    API_TITLE = "ARNet"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_REDOC_PATH = "docs"
    OPENAPI_REDOC_URL = "/vendor/redoc/redoc.standalone.js"

    # Prometheus reads /metrics with "Authorization: Bearer <METRICS_TOKEN>"; empty: 404.
    METRICS_TOKEN = ""
    # "json": one JSON line per log record and per request (with its request id); "text":
    # Flask's usual lines, and the server's own access log.
    LOG_FORMAT = "text"

    # No pre-ping: it costs a round trip on every checkout. After a database restart the
    # first statement on a dead connection fails (the request answers 503), SQLAlchemy sees
    # the disconnect and invalidates the whole pool, and the next request connects afresh
    # (tests/http/test_database_restart.py).
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {}


class DevelopmentConfig(BaseConfig):
    """The embedded default for one machine: SQLite, in-process Socket.IO, local key files."""

    ENV_NAME = "development"
    KEYRING_AUTOCREATE = True
    # Demo users may sign in with a password alone; the sign-in page says so.
    DEMO_PASSWORD_ONLY = True


class TestingConfig(BaseConfig):
    """Used by the test suite; the fixtures set the database and key paths."""

    ENV_NAME = "testing"
    TESTING = True
    KEYRING_AUTOCREATE = True
    # No timer thread per test app; tests write checkpoints through administrative actions.
    AUDIT_CHECKPOINT_TIMER = False
    MAIL_BACKEND = "memory"
    KEYRING_CHECK_SECONDS = 0
    SECRET_KEY = "testing-only-secret-key"  # noqa: S105 - never used outside the test suite
    RATELIMIT_ENABLED = True
    # Accounts without an authenticator may sign in with a password; tests that need the
    # production rule set TOTP_REQUIRED themselves.
    TOTP_REQUIRED = False
    # Still Argon2id, with the smallest parameters, so that fixtures do not take seconds.
    PASSWORD_PROFILE = "CHEAPEST"  # noqa: S105 - a parameter profile, not a secret


class ProductionConfig(BaseConfig):
    """Several machines behind a proxy; refuses to start without its secrets."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    FORCE_HTTPS = True
    MAIL_BACKEND = "smtp"
    LOG_FORMAT = "json"


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def _coerce(raw: str, default: object) -> object:
    """Turn an environment string into the type of the default it overrides."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def load_config(name: str | None = None, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Settings for one environment: class defaults, then ARNET_* variables, then overrides."""
    env_name = name or os.environ.get("ARNET_ENV", "development")
    if env_name not in CONFIGS:
        raise ConfigurationError(f"ARNET_ENV must be one of {', '.join(CONFIGS)}, not {env_name!r}")
    cls = CONFIGS[env_name]
    settings: dict[str, Any] = {
        key: getattr(cls, key) for key in dir(cls) if key.isupper() and not key.startswith("_")
    }
    for key, default in list(settings.items()):
        raw = os.environ.get(f"ARNET_{key}")
        if raw is not None:
            settings[key] = _coerce(raw, default)
    settings.update(overrides or {})
    _resolve_paths(settings)
    _check_safe(settings)
    return settings


def _resolve_paths(settings: dict[str, Any]) -> None:
    """Fill the embedded defaults (SQLite file, key files) under instance/."""
    instance = Path(settings.get("INSTANCE_PATH") or INSTANCE_DIR)
    settings["INSTANCE_PATH"] = str(instance)
    if not settings["DATABASE_URL"] and settings["ENV_NAME"] != "production":
        settings["DATABASE_URL"] = f"sqlite:///{instance / 'arnet.db'}"
    if not settings["KEYRING"] and settings["KEYRING_AUTOCREATE"]:
        settings["KEYRING"] = str(instance / "keyring.json")
    if not settings["AUDIT_CHECKPOINT"]:
        settings["AUDIT_CHECKPOINT"] = str(instance / "audit-checkpoint.json")
    if not settings["ATTACHMENT_DIR"]:
        settings["ATTACHMENT_DIR"] = str(instance / "attachments")
    if not settings["SECRET_KEY"] and settings["ENV_NAME"] == "development":
        settings["SECRET_KEY"] = _development_secret(instance)
    own = f"http://{settings['HOST']}:{settings['PORT']}"
    settings["BASE_URL"] = settings["BASE_URL"] or own
    settings["ALLOWED_ORIGINS"] = (
        settings["ALLOWED_ORIGINS"] or f"{own},http://localhost:{settings['PORT']}"
    )
    settings["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    settings["RATELIMIT_STORAGE_URI"] = settings["REDIS_URL"] or "memory://"
    if settings["REDIS_URL"]:
        settings["RATELIMIT_STORAGE_OPTIONS"] = {"key_prefix": settings["REDIS_PREFIX"]}
    settings["PERMANENT_SESSION_LIFETIME"] = settings["SESSION_ABSOLUTE_HOURS"] * 3600


def _development_secret(instance: Path) -> str:
    """A random key kept in instance/, made once, so development never uses a literal secret."""
    path = instance / "secret_key"
    if not path.exists():
        import secrets

        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def _check_safe(settings: dict[str, Any]) -> None:
    """Fail closed: a known server mode; production needs its secrets, a database and Redis."""
    if settings["ASYNC_MODE"] not in ASYNC_MODES:
        raise ConfigurationError(
            f"ARNET_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, "
            f"not {settings['ASYNC_MODE']!r}"
        )
    if settings["LOG_FORMAT"] not in LOG_FORMATS:
        raise ConfigurationError(
            f"ARNET_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, "
            f"not {settings['LOG_FORMAT']!r}"
        )
    if settings["ATTACHMENT_STORE"] not in ATTACHMENT_STORES:
        raise ConfigurationError(
            f"ARNET_ATTACHMENT_STORE must be one of {', '.join(ATTACHMENT_STORES)}, "
            f"not {settings['ATTACHMENT_STORE']!r}"
        )
    if settings["ATTACHMENT_STORE"] == "database" and not str(
        settings["DATABASE_URL"] or ""
    ).startswith("postgresql"):
        raise ConfigurationError(
            "ARNET_ATTACHMENT_STORE=database needs a PostgreSQL ARNET_DATABASE_URL; "
            "with SQLite, attachments stay files in ARNET_ATTACHMENT_DIR"
        )
    if settings["ENV_NAME"] != "production":
        return
    missing = [
        f"ARNET_{key}" for key in ("SECRET_KEY", "KEYRING", "DATABASE_URL") if not settings.get(key)
    ]
    if missing:
        raise ConfigurationError(f"production configuration is missing {', '.join(missing)}")
    if len(settings["SECRET_KEY"]) < 32:
        raise ConfigurationError("ARNET_SECRET_KEY must be at least 32 characters")
    if not settings["TOTP_REQUIRED"] or settings["DEMO_PASSWORD_ONLY"]:
        raise ConfigurationError("production requires the second factor for every user")
    if not settings["REDIS_URL"]:
        raise ConfigurationError(
            "production requires ARNET_REDIS_URL: sign-in failures and message sends must be "
            "counted in one store shared by every process and kept across restarts"
        )
