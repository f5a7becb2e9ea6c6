"""The TOTP seed at rest: sealed with the accounts data key and bound to its user row and field."""

from __future__ import annotations

from datetime import datetime

from network.auth.models import User
from network.sealing import keystore
from network.sealing.fields import open_text, seal_text

TABLE = "users"
FIELD = "totp_secret"


def set_totp_seed(user: User, seed: str | None, now: datetime) -> None:
    """Keep a user's seed sealed (or forget it); the row must have its id already."""
    user.totp_secret_sealed = (
        None
        if seed is None
        else seal_text(keystore.accounts_key_id(now), TABLE, user.id, FIELD, seed)
    )


def totp_seed(user: User, now: datetime) -> str | None:
    """The user's seed, opened for checking a code; None when they have no authenticator."""
    if user.totp_secret_sealed is None:
        return None
    return open_text(keystore.accounts_key_id(now), TABLE, user.id, FIELD, user.totp_secret_sealed)
