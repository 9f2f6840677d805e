"""Configuration: production refuses unsafe set-ups; development makes its own secret."""

from __future__ import annotations

from pathlib import Path

import pytest

import config
from config import ConfigError, load_config


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MAIL_SERVER", "CONSULT_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    return tmp_path


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    values = {
        "SECRET_KEY": "s" * 40,
        "DATABASE_URL": "postgresql://db/consult",
        "REDIS_URL": "redis://cache:6379/0",
    }
    for name, value in values.items():
        if name != missing:
            monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=missing):
        load_config("production")


def test_production_is_secure(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://db/consult")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    settings = load_config("production")
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/consult"
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["REMEMBER_COOKIE_DURATION"].days <= 30
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    assert settings["CELERY"]["broker_url"] == "redis://cache:6379/0"
    celery = settings["CELERY"]
    assert celery["task_acks_late"] and celery["task_reject_on_worker_lost"]
    assert celery["broker_transport_options"]["visibility_timeout"] >= 3600
    # OWASP's minimum for Argon2id: 19 MiB of memory, 2 iterations.
    assert settings["ARGON2_MEMORY_COST"] >= 19 * 1024 and settings["ARGON2_TIME_COST"] >= 2
    assert settings["MAX_CONTENT_LENGTH"] <= 10 * 1024 * 1024


def test_development_creates_its_secret_once(clean_env: Path) -> None:
    first = load_config("development")["SECRET_KEY"]
    second = load_config("development")["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (clean_env / "secret_key").stat().st_mode & 0o777 == 0o600
    assert load_config("development")["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert load_config("development")["MAIL_BACKEND"] == "consult.mail.outbox"


def test_unknown_environment_is_named(clean_env: Path) -> None:
    with pytest.raises(ConfigError, match="staging"):
        load_config("staging")
