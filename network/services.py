"""Builds the Flask-free service objects from configuration, once, and hands them out."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from network.auth import passwords
from network.auth.throttle import SignInThrottle
from network.channels import keys as data_keys
from network.crypto import Keyring, KeyringFile
from network.extensions import limiter
from network.notifications.mail import Mailer

_KEY = "arnet"


def init_services(app: Flask) -> None:
    config = app.config
    passwords.use_profile(config["PASSWORD_PROFILE"])
    limiter.init_app(app)
    # Case and channel services reach the keyring through this provider, never through Flask.
    data_keys.provide_keyring(keyring, reload_keyring)
    app.extensions[_KEY] = {
        "keyring_file": KeyringFile(
            config["KEYRING"],
            create=config["KEYRING_AUTOCREATE"],
            check_every=config["KEYRING_CHECK_SECONDS"],
        ),
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
            limiter.limiter,
            per_account=config["SIGNIN_FAILURES_PER_ACCOUNT"],
            per_address=config["SIGNIN_FAILURES_PER_ADDRESS"],
            window_minutes=config["SIGNIN_FAILURE_WINDOW_MINUTES"],
        ),
    }


def mailer() -> Mailer:
    return current_app.extensions[_KEY]["mailer"]  # type: ignore[no-any-return]


def signin_throttle() -> SignInThrottle:
    return current_app.extensions[_KEY]["signin_throttle"]  # type: ignore[no-any-return]


def _keyring_file() -> KeyringFile:
    return current_app.extensions[_KEY]["keyring_file"]  # type: ignore[no-any-return]


def keyring() -> Keyring:
    """The keyring, re-read within KEYRING_CHECK_SECONDS of a rotation by another process."""
    return _keyring_file().current()


def reload_keyring() -> Keyring:
    """Re-read the keyring file now, after another process added a KEK version (rotate-keys)."""
    return _keyring_file().reload()
