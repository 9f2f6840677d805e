"""Configuration for consult, read from the environment.

Three classes: development (the embedded default of ``make run``), testing and production.
``load_config`` picks one from ``CONSULT_ENV`` (``development`` unless set). Production refuses
to start without the settings that make it safe and shared between processes.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("CONSULT_INSTANCE_PATH", BASE_DIR / "instance"))


class ConfigError(RuntimeError):
    """Raised when the environment does not hold what a configuration needs."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _sqlalchemy_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the common short form."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _development_secret(instance: Path) -> str:
    """Create a random secret once in the instance folder and reuse it afterwards."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SITE_NAME = "consult"
    INSTANCE_PATH = INSTANCE_DIR

    # No pool_pre_ping: consult.core.database checks a pooled PostgreSQL connection without a
    # round trip (and pings one left quiet for a while).
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {}
    MAX_CONTENT_LENGTH = 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    # Argon2id, above OWASP's minimum (19 MiB, t=2, p=1).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 2

    INVITATION_LIFETIME = timedelta(days=7)
    SIGN_IN_LINK_LIFETIME = timedelta(minutes=15)
    RATELIMIT_STORAGE_URI = "memory://"
    # Redis down must not fail every form with a 500: each process then counts in its own
    # memory until the store answers again (checked now and then), and limits still hold.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # An unreachable store is given up on in a second, not after the operating system's
    # minutes-long TCP timeout.
    RATELIMIT_STORAGE_OPTIONS: dict[str, Any] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # No X-RateLimit-* headers on every limited response: working them out costs a round trip
    # to the limit store each time, for figures no browser reads. A refused request still says
    # when to try again (Retry-After: consult.core.errors).
    RATELIMIT_HEADERS_ENABLED = False
    SIGN_IN_RATE_LIMIT = "10 per minute;50 per hour"
    # Per email address, on top of SIGN_IN_RATE_LIMIT per client address.
    SIGN_IN_LINK_RATE_LIMIT = "3 per 15 minutes;10 per day"
    # Per client address. Behind a proxy that is the resident; a load test on one machine raises it.
    SUBMIT_RATE_LIMIT = os.environ.get("SUBMIT_RATE_LIMIT", "20 per minute")
    # The read API, per client address.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "60 per minute")
    # Household codes typed, per client address: a code cannot be found by guessing.
    ACCESS_CODE_RATE_LIMIT = "10 per minute;30 per hour"

    # A verified-email survey's one-time link; a resume link when the survey has no earlier close.
    SURVEY_LINK_LIFETIME = timedelta(hours=24)
    RESUME_LINK_LIFETIME = timedelta(days=30)
    # Unsent drafts untouched for longer are deleted (no shorter than RESUME_LINK_LIFETIME).
    DRAFT_MAX_AGE = timedelta(days=30)

    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "consult <no-reply@consult.example>"
    )
    # The address people reach the site by; links in emails are built from it, never from a
    # request's Host header.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")

    CELERY: dict[str, Any] = {}
    DELIVERY_MAX_RETRIES = 5
    # A delivery claimed longer ago than this belongs to a worker that died mid-send.
    DELIVERY_STALE_AFTER = timedelta(seconds=int(os.environ.get("DELIVERY_STALE_SECONDS", "600")))
    DELIVERY_RETRY_BACKOFF = 30

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"

    @classmethod
    def celery_settings(cls, broker_url: str, broker_options: dict[str, Any]) -> dict[str, Any]:
        """Celery settings that make tasks survive a lost worker or broker."""
        return {
            "broker_url": broker_url,
            "broker_transport_options": broker_options,
            "broker_connection_retry_on_startup": True,
            "task_ignore_result": True,
            "task_serializer": "json",
            "accept_content": ["json"],
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "timezone": "Europe/London",
            "beat_schedule": {},
        }

    @classmethod
    def build(cls) -> dict[str, Any]:
        """Return this configuration as a plain mapping, completed from the environment."""
        values = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        values.update(cls.from_environment())
        return values

    @classmethod
    def from_environment(cls) -> dict[str, Any]:
        raise NotImplementedError


# Flask-Mailman's SMTP backend, closing its connection when a send fails.
SMTP_BACKEND = "consult.mail.smtp"


def _mail_settings(default_backend: str, instance: Path) -> dict[str, Any]:
    """SMTP when MAIL_SERVER is set; otherwise the given backend (the outbox folder)."""
    if os.environ.get("MAIL_SERVER"):
        return {
            "MAIL_BACKEND": SMTP_BACKEND,
            "MAIL_SERVER": os.environ["MAIL_SERVER"],
            "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
            "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
            "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
            "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", True),
            "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL", False),
            "MAIL_TIMEOUT": 30,
        }
    return {"MAIL_BACKEND": default_backend, "MAIL_OUTBOX_PATH": str(instance / "outbox")}


def redis_transport_options(visibility_timeout: int) -> dict[str, Any]:
    """Redis broker options: a killed worker's unacknowledged task returns after
    ``visibility_timeout`` seconds, found by a sweep every few seconds (kombu's default sweep
    runs only every 100 seconds or so)."""
    return {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": max(1, min(10, visibility_timeout // 3)),
        "unacked_restore_throttle": 1,
    }


def _broker_settings(redis_url: str | None, instance: Path) -> dict[str, Any]:
    """Redis when REDIS_URL is set; otherwise kombu's filesystem transport in the instance."""
    if redis_url:
        # Longer than any countdown or retry delay we use, so Redis never redelivers early.
        # Fault tests shorten it to see a killed worker's task come back within seconds.
        visibility = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(2 * 3600)))
        return Config.celery_settings(redis_url, redis_transport_options(visibility))
    folder = instance / "broker"
    for part in ("queue", "processed", "control"):
        (folder / part).mkdir(parents=True, exist_ok=True)
    return Config.celery_settings(
        "filesystem://",
        {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
        },
    )


class DevelopmentConfig(Config):
    """The embedded default: SQLite, a serverless broker, emails to ``instance/outbox``."""

    ENV_NAME = "development"

    @classmethod
    def from_environment(cls) -> dict[str, Any]:
        instance = INSTANCE_DIR
        instance.mkdir(parents=True, exist_ok=True)
        database = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'consult.db'}"
        redis_url = os.environ.get("REDIS_URL")
        values: dict[str, Any] = {
            "SECRET_KEY": os.environ.get("SECRET_KEY") or _development_secret(instance),
            "SQLALCHEMY_DATABASE_URI": _sqlalchemy_url(database),
            "CELERY": _broker_settings(redis_url, instance),
            "REDIS_URL": redis_url,
        }
        if redis_url:
            values["RATELIMIT_STORAGE_URI"] = redis_url
        values.update(_mail_settings("consult.mail.outbox", instance))
        return values


class TestingConfig(Config):
    """Used by the test suite; tests override the database and broker they need."""

    ENV_NAME = "testing"
    TESTING = True
    WTF_CSRF_ENABLED = True
    # Fast hashing keeps the suite quick; production's cost is checked by its own test.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1

    @classmethod
    def from_environment(cls) -> dict[str, Any]:
        instance = INSTANCE_DIR / "test"
        return {
            "SECRET_KEY": "test-" + secrets.token_hex(16),
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "CELERY": _broker_settings(None, instance),
            "REDIS_URL": None,
            "MAIL_BACKEND": "locmem",
            "RATELIMIT_ENABLED": True,
        }


class ProductionConfig(Config):
    """PostgreSQL, Redis and SMTP, behind HTTPS. Refuses to start without them."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def from_environment(cls) -> dict[str, Any]:
        missing = [n for n in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL") if not os.environ.get(n)]
        if missing:
            raise ConfigError("Production needs these environment variables: " + ", ".join(missing))
        redis_url = os.environ["REDIS_URL"]
        values: dict[str, Any] = {
            "SECRET_KEY": os.environ["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": _sqlalchemy_url(os.environ["DATABASE_URL"]),
            "CELERY": _broker_settings(redis_url, INSTANCE_DIR),
            "REDIS_URL": redis_url,
            "RATELIMIT_STORAGE_URI": redis_url,
            "TRUSTED_HOSTS": [h for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h],
        }
        values.update(_mail_settings(SMTP_BACKEND, INSTANCE_DIR))
        return values


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> dict[str, Any]:
    """Return the settings of the named environment (default: ``CONSULT_ENV``)."""
    name = name or os.environ.get("CONSULT_ENV", "development")
    try:
        config_class = CONFIGS[name]
    except KeyError:
        raise ConfigError(f"Unknown CONSULT_ENV {name!r}; use one of {sorted(CONFIGS)}") from None
    return config_class.build()
