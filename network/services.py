"""Builds the Flask-free service objects from configuration, once, and hands them out."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from network.auth import passwords
from network.auth.throttle import SignInThrottle
from network.channels import keys as data_keys
from network.core import clock
from network.crypto import Keyring
from network.extensions import db, limiter
from network.notifications import service as notifications
from network.notifications.mail import Mailer
from network.notifications.models import SEAT_KINDS

_KEY = "arnet"


def init_services(app: Flask) -> None:
    config = app.config
    passwords.use_profile(config["PASSWORD_PROFILE"])
    limiter.init_app(app)
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
            limiter.limiter,
            per_account=config["SIGNIN_FAILURES_PER_ACCOUNT"],
            per_address=config["SIGNIN_FAILURES_PER_ADDRESS"],
            window_minutes=config["SIGNIN_FAILURE_WINDOW_MINUTES"],
        ),
    }


def mailer() -> Mailer:
    return current_app.extensions[_KEY]["mailer"]  # type: ignore[no-any-return]


def send_seat_emails() -> None:
    """For an edge, after the commit of a seat change: e-mail its notices at once.

    Whatever SMTP refuses stays pending, and ``send-reminders`` sends it later.
    """
    notifications.send_pending_emails(
        mailer(), current_app.config["BASE_URL"], clock.now(), kinds=SEAT_KINDS
    )
    db.session.commit()


def signin_throttle() -> SignInThrottle:
    return current_app.extensions[_KEY]["signin_throttle"]  # type: ignore[no-any-return]


def keyring() -> Keyring:
    return current_app.extensions[_KEY]["keyring"]  # type: ignore[no-any-return]


def reload_keyring() -> Keyring:
    """Re-read the keyring file, after another process added a KEK version (rotate-keys)."""
    fresh = Keyring.load(current_app.config["KEYRING"])
    current_app.extensions[_KEY]["keyring"] = fresh
    return fresh
