"""Builds the Flask-free service objects from configuration, once, and hands them out."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app

from network.auth import passwords
from network.auth.throttle import Counters, MemoryCounters, SendThrottle, SignInThrottle
from network.channels import keys as data_keys
from network.crypto import Keyring
from network.extensions import limiter
from network.notifications.mail import Mailer

_KEY = "arnet"


def _counters(app: Flask) -> Counters:
    """Redis when configured (shared by every process, kept across restarts), else memory."""
    redis_url = app.config["REDIS_URL"]
    if redis_url:
        where = urlsplit(redis_url)  # host and database only: the URL may carry a password
        app.logger.info(
            "sign-in failures and message sends are counted in Redis at %s:%s%s (keys %s*)",
            where.hostname,
            where.port or 6379,
            where.path,
            app.config["REDIS_PREFIX"],
        )
        return limiter.limiter
    app.logger.info(
        "sign-in failures and message sends are counted in this process's memory "
        "(lost at a restart; ARNET_REDIS_URL shares them)"
    )
    return MemoryCounters()


def init_services(app: Flask) -> None:
    config = app.config
    passwords.use_profile(config["PASSWORD_PROFILE"])
    limiter.init_app(app)
    counters = _counters(app)
    # Case and channel services reach the keyring through this provider, never through Flask.
    data_keys.provide_keyring(lambda: current_app.extensions[_KEY]["keyring"], reload_keyring)
    keyring_path = config["KEYRING"]
    keyring = (
        Keyring.load_or_create(keyring_path)
        if config["KEYRING_AUTOCREATE"]
        else Keyring.load(keyring_path)
    )
    app.extensions[_KEY] = {
        "keyring": keyring,
        "mailer": Mailer(
            config["MAIL_BACKEND"],
            config["MAIL_SENDER"],
            server=config["MAIL_SERVER"],
            port=config["MAIL_PORT"],
            use_tls=config["MAIL_USE_TLS"],
            username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"],
            outbox_dir=str(Path(app.instance_path) / "outbox"),
        ),
        "signin_throttle": SignInThrottle(
            counters,
            per_account=config["SIGNIN_FAILURES_PER_ACCOUNT"],
            per_address=config["SIGNIN_FAILURES_PER_ADDRESS"],
            window_minutes=config["SIGNIN_FAILURE_WINDOW_MINUTES"],
        ),
        "send_throttle": SendThrottle(counters, config["MESSAGE_SEND_LIMIT"]),
    }


def mailer() -> Mailer:
    return current_app.extensions[_KEY]["mailer"]  # type: ignore[no-any-return]


def signin_throttle() -> SignInThrottle:
    return current_app.extensions[_KEY]["signin_throttle"]  # type: ignore[no-any-return]


def send_throttle() -> SendThrottle:
    return current_app.extensions[_KEY]["send_throttle"]  # type: ignore[no-any-return]


def keyring() -> Keyring:
    return current_app.extensions[_KEY]["keyring"]  # type: ignore[no-any-return]


def reload_keyring() -> Keyring:
    """Re-read the keyring file, after another process added a KEK version (rotate-keys)."""
    fresh = Keyring.load(current_app.config["KEYRING"])
    current_app.extensions[_KEY]["keyring"] = fresh
    return fresh
