"""Configuration fails closed in production and reads ARNET_* variables."""

from __future__ import annotations

import logging

import pytest

from config import ConfigurationError, load_config
from network import create_app


def production_secrets(monkeypatch, tmp_path) -> None:
    """Everything production asks for except Redis."""
    monkeypatch.setenv("ARNET_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ARNET_KEYRING", str(tmp_path / "k.json"))
    monkeypatch.setenv("ARNET_DATABASE_URL", "sqlite://")
    monkeypatch.delenv("ARNET_REDIS_URL", raising=False)


def test_production_refuses_to_start_without_its_secrets(monkeypatch):
    for name in ("ARNET_SECRET_KEY", "ARNET_KEYRING", "ARNET_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError) as refused:
        load_config("production")
    assert "ARNET_SECRET_KEY" in str(refused.value)
    assert "ARNET_KEYRING" in str(refused.value)


def test_production_refuses_a_short_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("ARNET_SECRET_KEY", "short")
    monkeypatch.setenv("ARNET_KEYRING", str(tmp_path / "k.json"))
    monkeypatch.setenv("ARNET_DATABASE_URL", "sqlite://")
    with pytest.raises(ConfigurationError):
        load_config("production")


def test_production_cannot_switch_off_the_second_factor(monkeypatch, tmp_path):
    monkeypatch.setenv("ARNET_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ARNET_KEYRING", str(tmp_path / "k.json"))
    monkeypatch.setenv("ARNET_DATABASE_URL", "sqlite://")
    monkeypatch.setenv("ARNET_TOTP_REQUIRED", "false")
    with pytest.raises(ConfigurationError):
        load_config("production")


def test_environment_variables_override_defaults_with_their_types(monkeypatch, tmp_path):
    monkeypatch.setenv("ARNET_SESSION_IDLE_MINUTES", "45")
    monkeypatch.setenv("ARNET_REDIS_URL", "redis://127.0.0.1:6379/3")
    settings = load_config("testing", {"INSTANCE_PATH": str(tmp_path)})
    assert settings["SESSION_IDLE_MINUTES"] == 45
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    assert settings["SESSION_COOKIE_HTTPONLY"] is True


def test_production_cookie_is_secure():
    assert load_config.__module__ == "config"
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_an_unknown_socket_server_mode_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.setenv("ARNET_ASYNC_MODE", "eventlet")
    with pytest.raises(ConfigurationError) as refused:
        load_config("testing", {"INSTANCE_PATH": str(tmp_path)})
    assert "ARNET_ASYNC_MODE" in str(refused.value)
    monkeypatch.setenv("ARNET_ASYNC_MODE", "gevent")
    assert load_config("testing", {"INSTANCE_PATH": str(tmp_path)})["ASYNC_MODE"] == "gevent"


def test_production_refuses_to_start_without_redis_for_its_throttle_counters(monkeypatch, tmp_path):
    production_secrets(monkeypatch, tmp_path)
    with pytest.raises(ConfigurationError) as refused:
        load_config("production")
    reason = str(refused.value)
    assert "ARNET_REDIS_URL" in reason
    assert "\n" not in reason
    monkeypatch.setenv("ARNET_REDIS_URL", "redis://127.0.0.1:6379/0")
    assert load_config("production")["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_development_and_testing_may_count_in_memory(monkeypatch, tmp_path):
    monkeypatch.delenv("ARNET_REDIS_URL", raising=False)
    for name in ("development", "testing"):
        settings = load_config(name, {"INSTANCE_PATH": str(tmp_path)})
        assert settings["RATELIMIT_STORAGE_URI"] == "memory://"


def test_the_start_up_log_says_where_throttle_counters_live(monkeypatch, tmp_path, caplog):
    monkeypatch.delenv("ARNET_REDIS_URL", raising=False)
    base = {
        "ENV_NAME": "testing",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'arnet.db'}",
        "INSTANCE_PATH": str(tmp_path),
        "KEYRING": str(tmp_path / "keyring.json"),
    }
    with caplog.at_level(logging.INFO, logger="network"):
        create_app(base)
        create_app({**base, "REDIS_URL": "redis://:s3cret@127.0.0.1:6379/2"})
    lines = [r.getMessage() for r in caplog.records if "counted in" in r.getMessage()]
    assert "sign-in failures and message sends are counted in this process's memory" in lines[0]
    assert "Redis at 127.0.0.1:6379/2" in lines[1]
    assert "s3cret" not in lines[1]


def test_the_send_limit_setting_names_both_paths():
    settings = load_config("testing")
    assert settings["MESSAGE_SEND_LIMIT"] == "120/minute"
    assert "SOCKET_SEND_LIMIT" not in settings


def test_attachments_in_the_database_are_refused_on_sqlite(monkeypatch, tmp_path):
    monkeypatch.setenv("ARNET_ATTACHMENT_STORE", "database")
    with pytest.raises(ConfigurationError) as refused:
        load_config("testing", {"INSTANCE_PATH": str(tmp_path)})
    assert "ARNET_ATTACHMENT_STORE=database needs a PostgreSQL" in str(refused.value)
    postgres = {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "postgresql+psycopg://db/arnet"}
    assert load_config("testing", postgres)["ATTACHMENT_STORE"] == "database"


def test_an_unknown_attachment_store_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.setenv("ARNET_ATTACHMENT_STORE", "s3")
    with pytest.raises(ConfigurationError) as refused:
        load_config("testing", {"INSTANCE_PATH": str(tmp_path)})
    assert "must be one of filesystem, database" in str(refused.value)


def test_attachments_are_files_by_default(tmp_path):
    settings = load_config("testing", {"INSTANCE_PATH": str(tmp_path)})
    assert settings["ATTACHMENT_STORE"] == "filesystem"
