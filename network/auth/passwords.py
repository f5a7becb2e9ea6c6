"""Password hashing (Argon2id) and the strength rule."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.schemas.auth import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
# Verifying against this keeps the time of a sign-in for an unknown e-mail like a known one.
_DUMMY_HASH = _hasher.hash("arnet-timing-equaliser")


def use_profile(name: str) -> None:
    """Choose argon2-cffi's parameter profile; the test suite picks CHEAPEST, still Argon2id."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(getattr(profiles, name))
    _DUMMY_HASH = _hasher.hash("arnet-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password in constant-ish time, whether or not the account has one."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_strength(password: str, user_inputs: list[str] | None = None) -> None:
    """Refuse short passwords and those found in common-password lists (zxcvbn score < 3)."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise InvalidInput(
            N_("Password too short."),
            {"password": [N_("Use at least 12 characters.")]},
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise InvalidInput(
            N_("Password too long."),
            {"password": [N_("Use at most 256 characters.")]},
        )
    # zxcvbn refuses more than 72 characters; the first 72 decide its verdict anyway.
    # The person's own name and address parts make a guessable password too.
    words = [
        part
        for value in user_inputs or []
        for part in value.replace("@", " ").replace(".", " ").split()
    ]
    verdict = zxcvbn(password[:72], user_inputs=[*(user_inputs or []), *words])
    if verdict["score"] < 3:
        raise InvalidInput(
            N_("Password too weak."),
            {"password": [N_("This password is common or easy to guess; choose a longer one.")]},
        )


def confirm_password(password_hash: str | None, password: str) -> None:
    """Ask again for the current password before a change to one's own credentials."""
    if not verify_password(password_hash, password):
        raise InvalidInput(
            N_("The current password is not right."),
            {"current_password": [N_("Enter your current password.")]},
        )
