"""Accounts: who may create whom, their affiliation, preferences, activation and listing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from network.audit import service as audit
from network.auth import passwords
from network.auth.models import User
from network.auth.policy import Action, can, require
from network.auth.sessions import end_all_sessions
from network.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from network.core.i18n import N_
from network.extensions import db
from network.schemas.vocabularies import Role

if TYPE_CHECKING:
    # The directory sits above auth: the edges pass its answers in (directory.affiliation).
    from network.directory.affiliation import Affiliation


def normalise_email(email: str) -> str:
    """Validate an address's syntax and return it in the form we store (lower case)."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidInput(
            N_("Invalid e-mail address."), {"email": [N_("Enter a valid e-mail address.")]}
        ) from error
    return checked.normalized.lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def _check_affiliation(role: Role, affiliation: Affiliation) -> None:
    """A State user belongs to a State (and maybe one of its authorities); an observer to a body."""
    state_code, body_id = affiliation.state_code, affiliation.body_id
    if role is Role.NETWORK_ADMIN and (state_code or body_id):
        raise InvalidInput(
            N_("A network administrator belongs to no State and no observer body."),
            {"role": [N_("Remove the State or body.")]},
        )
    if role is Role.OBSERVER and (state_code or not body_id):
        raise InvalidInput(
            N_("An observer belongs to an observer body, not to a State."),
            {"body": [N_("Choose the observer body.")]},
        )
    if role in (Role.PRACTITIONER, Role.NATIONAL_ADMIN) and (not state_code or body_id):
        raise InvalidInput(
            N_("A practitioner or national administrator belongs to a State."),
            {"state": [N_("Choose the State.")]},
        )
    affiliation.check_known()


def _has_national_admin(affiliation: Affiliation) -> bool:
    """Whether the State has an active national administrator (enrolled or not)."""
    # Two first administrators made at once for one State: the State's row lock orders them.
    affiliation.lock_state()
    found = db.session.scalar(
        select(User.id)
        .where(
            User.state_code == affiliation.state_code,
            User.role == Role.NATIONAL_ADMIN.value,
            User.active.is_(True),
        )
        .limit(1)
    )
    return found is not None


def _check_may_create(actor: User, role: Role, affiliation: Affiliation) -> None:
    """A State's users come from its national administrators, its first one from the secretariat."""
    state_code = affiliation.state_code
    has_admin = (
        role is Role.NATIONAL_ADMIN and state_code is not None and _has_national_admin(affiliation)
    )
    if can(actor, Action.CREATE_USER, (role.value, state_code, has_admin)):
        return
    if state_code:
        raise PermissionDenied(
            N_(
                "A State's users are created by its own national administrators; the "
                "secretariat creates only a State's first national administrator, while it "
                "has none."
            )
        )
    raise PermissionDenied(N_("You are not allowed to do this."))


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    role: str,
    now: datetime,
    affiliation: Affiliation,
    password: str | None = None,
    is_demo: bool = False,
) -> User:
    """Create an account; ``actor`` None means an operator at the command line (bootstrap)."""
    try:
        checked_role = Role(role)
    except ValueError as error:
        raise InvalidInput(
            N_("Unknown role."),
            {"role": [N_("Use practitioner, national_admin, observer or network_admin.")]},
        ) from error
    if actor is not None:
        _check_may_create(actor, checked_role, affiliation)
    _check_affiliation(checked_role, affiliation)
    address = normalise_email(email)
    if not name.strip():
        raise InvalidInput(N_("A name is required."), {"name": [N_("Enter the person's name.")]})
    if find_user_by_email(address) is not None:
        raise Conflict(N_("An account with this e-mail address already exists."))
    if password is not None:
        passwords.check_strength(password, [address, name])
    user = User(
        email=address,
        name=name.strip(),
        role=checked_role.value,
        state_code=affiliation.state_code,
        authority_id=affiliation.authority_id,
        body_id=affiliation.body_id,
        password_hash=passwords.hash_password(password) if password is not None else None,
        is_demo=is_demo,
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user.created",
        "user",
        user.id,
        {
            "email": address,
            "role": checked_role.value,
            "state": affiliation.state_code,
            "body": affiliation.body_id,
        },
        at=now,
    )
    return user


def demo_accounts() -> list[User]:
    """The active demo accounts, in the order they were made (the sign-in page lists them)."""
    return list(
        db.session.scalars(
            select(User).where(User.is_demo.is_(True), User.active.is_(True)).order_by(User.id)
        )
    )


def set_preferences(user: User, *, locale: str | None, time_zone: str | None) -> None:
    user.locale = locale
    user.time_zone = time_zone
    db.session.flush()


def set_active(actor: User, target_id: int, active: bool, *, now: datetime) -> User:
    target = db.session.get(User, target_id)
    if target is None:
        raise NotFound(N_("No such user."), reason="user_not_found")
    require(actor, Action.MANAGE_USER, target)
    target.active = active
    if not active:
        end_all_sessions(target, now=now)
    audit.record(
        actor, "user.activated" if active else "user.deactivated", "user", target.id, at=now
    )
    return target


def manageable_users(actor: User, *, page: int, per_page: int) -> tuple[list[User], int]:
    """The accounts an administrator sees: their State's, or for the secretariat its share.

    The secretariat sees every national administrator (so it knows which States
    have one) but keeps only observers and network administrators.
    """
    query = select(User)
    if actor.role == Role.NETWORK_ADMIN:
        query = query.where(User.role.in_([Role.NATIONAL_ADMIN, Role.OBSERVER, Role.NETWORK_ADMIN]))
    elif actor.role == Role.NATIONAL_ADMIN and actor.state_code:
        query = query.where(User.state_code == actor.state_code)
    else:
        raise PermissionDenied(N_("You are not allowed to do this."))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    users = db.session.scalars(
        query.order_by(User.state_code, User.name).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(users), total
