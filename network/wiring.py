"""Builds the services' collaborators (keyring, mailer, throttles, checkpoints) from config."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app

from network.audit import service as audit
from network.audit.checkpoint import CheckpointFile, CheckpointKeeper
from network.auth import passwords
from network.auth.throttle import Counters, MemoryCounters, SendThrottle, SignInThrottle
from network.cases import counterparts, seating, tables
from network.core import events
from network.crypto import Keyring, KeyringFile
from network.extensions import db, limiter
from network.messages.segments import DatabaseStore
from network.messages.storage import AttachmentStore, DirectoryStore
from network.notifications import counterparts as counterpart_notices
from network.notifications import seats
from network.notifications.mail import Mailer
from network.sealing import keystore

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


_OPENING = threading.Lock()


def init_services(app: Flask) -> None:
    config = app.config
    passwords.use_profile(config["PASSWORD_PROFILE"])
    limiter.init_app(app)
    counters = _counters(app)
    # Case and channel services reach the keyring through this provider, never through Flask.
    keystore.provide_keyring(keyring, reload_keyring)
    audit.provide(lambda: keyring().audit_key, audit_checkpoints)
    audit.install(db.session.session_factory.class_)
    # Seat changes are told to the parties by the notifications, in the same transaction.
    events.subscribe(seating.SEAT_CHANGED, seats.announce)
    # And so are multilateral tables: an invitation, and each invited State's answer.
    events.subscribe(tables.TABLE_CHANGED, seats.announce_table)
    # So are the steps one side records that the other side should know.
    events.subscribe(counterparts.RECORDED, counterpart_notices.announce)
    _log_checkpoints()
    app.extensions[_KEY] = {
        # Opened at first use, so that `network init-keyring` can run before there is one;
        # wsgi.py opens it before a server takes requests.
        "keyring_file": None,
        "audit_checkpoints": CheckpointKeeper(
            CheckpointFile(config["AUDIT_CHECKPOINT"]),
            interval_seconds=config["AUDIT_CHECKPOINT_MINUTES"] * 60,
            timer=config["AUDIT_CHECKPOINT_TIMER"],
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
            counters,
            per_account=config["SIGNIN_FAILURES_PER_ACCOUNT"],
            per_address=config["SIGNIN_FAILURES_PER_ADDRESS"],
            window_minutes=config["SIGNIN_FAILURE_WINDOW_MINUTES"],
        ),
        "send_throttle": SendThrottle(counters, config["MESSAGE_SEND_LIMIT"]),
    }


def _log_checkpoints() -> None:
    """The checkpoint's second copy is its log line: keep it even where logging is not set up."""
    checkpoints = logging.getLogger("network.audit")
    if checkpoints.level == logging.NOTSET:
        checkpoints.setLevel(logging.INFO)
    if not checkpoints.handlers and not logging.getLogger().handlers:
        checkpoints.addHandler(logging.StreamHandler())


def audit_checkpoints() -> CheckpointKeeper:
    return current_app.extensions[_KEY]["audit_checkpoints"]  # type: ignore[no-any-return]


def mailer() -> Mailer:
    return current_app.extensions[_KEY]["mailer"]  # type: ignore[no-any-return]


def signin_throttle() -> SignInThrottle:
    return current_app.extensions[_KEY]["signin_throttle"]  # type: ignore[no-any-return]


def send_throttle() -> SendThrottle:
    return current_app.extensions[_KEY]["send_throttle"]  # type: ignore[no-any-return]


def _keyring_file() -> KeyringFile:
    services = current_app.extensions[_KEY]
    if services["keyring_file"] is None:
        with _OPENING:
            if services["keyring_file"] is None:
                config = current_app.config
                services["keyring_file"] = KeyringFile(
                    config["KEYRING"],
                    create=config["KEYRING_AUTOCREATE"],
                    check_every=config["KEYRING_CHECK_SECONDS"],
                )
    return services["keyring_file"]  # type: ignore[no-any-return]


def keyring() -> Keyring:
    """The keyring, re-read within KEYRING_CHECK_SECONDS of a rotation by another process."""
    return _keyring_file().current()


def reload_keyring() -> Keyring:
    """Re-read the keyring file now, after another process added a KEK version (rotate-keys)."""
    return _keyring_file().reload()


def attachment_store() -> AttachmentStore:
    """Where this deployment keeps attachments: ATTACHMENT_STORE, checked at start-up."""
    config = current_app.config
    if config["ATTACHMENT_STORE"] == "database":
        return DatabaseStore(db.session(), db.engine)
    return DirectoryStore(Path(config["ATTACHMENT_DIR"]))
