"""Who may do what: the role rules of DESIGN.md in one place, called by the services."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, cast

from network.core.errors import PermissionDenied
from network.core.i18n import N_

if TYPE_CHECKING:
    from network.auth.models import User


class Action(StrEnum):
    """Actions the policy decides on; later parts add theirs here."""

    READ_DIRECTORY = "directory.read"
    EDIT_STATE_DIRECTORY = "directory.edit"  # target: a State code
    MANAGE_STATES = "states.manage"
    MANAGE_OBSERVER_BODIES = "observer_bodies.manage"
    IMPORT_DIRECTORY = "directory.import"  # the whole directory, any State
    # target: (role, State code or None, whether that State has an active national administrator)
    CREATE_USER = "users.create"
    MANAGE_USER = "users.manage"  # target: a User
    VIEW_NETWORK_STATISTICS = "statistics.network"
    OPEN_CASE = "cases.open"
    READ_LIBRARY = "library.read"
    KEEP_LIBRARY = "library.keep"  # target: (document kind, State code or None)
    RECORD_TECHNICAL_ASSISTANCE = "technical_assistance.record"  # target: a State code
    VIEW_TECHNICAL_ASSISTANCE_BY_STATE = "technical_assistance.by_state"


def _is(user: User, *roles: str) -> bool:
    return user.active and user.role in roles


def _creates_user(actor: User, role: str, state_code: str | None, state_has_admin: bool) -> bool:
    """The secretariat makes a State's first national administrator, only while it has none."""
    if _is(actor, "network_admin") and role == "national_admin":
        return not state_has_admin
    return _manages_user(actor, role, state_code)


def _manages_user(actor: User, role: str, state_code: str | None) -> bool:
    """National administrators keep their own State's users; the secretariat its own share.

    The secretariat keeps observers and network administrators only: once a State
    has a national administrator, nobody outside that State makes, resets or
    deactivates its accounts (an account made elsewhere could be seated in its cases).
    """
    if _is(actor, "network_admin"):
        return role in {"observer", "network_admin"}
    return (
        _is(actor, "national_admin")
        and state_code is not None
        and state_code == actor.state_code
        and role in {"practitioner", "national_admin"}
    )


def _keeps_library(user: User, kind: str, state_code: str | None) -> bool:
    """The secretariat keeps the library; a national administrator its State's notes and forms."""
    if _is(user, "network_admin"):
        return True
    return (
        _is(user, "national_admin")
        and kind in {"how_to_cooperate", "form"}
        and state_code is not None
        and state_code == user.state_code
    )


def can(user: User | None, action: Action, target: object = None) -> bool:
    """Decide one action; anything not allowed here is denied."""
    if user is None or not user.active:
        return False
    match action:
        case Action.READ_DIRECTORY | Action.READ_LIBRARY:
            return True
        case Action.KEEP_LIBRARY:
            kind, state_code = cast("tuple[str, str | None]", target)
            return _keeps_library(user, kind, state_code)
        case Action.RECORD_TECHNICAL_ASSISTANCE:
            return _is(user, "practitioner", "national_admin") and target == user.state_code
        case Action.VIEW_TECHNICAL_ASSISTANCE_BY_STATE:
            return _is(user, "network_admin")
        case Action.EDIT_STATE_DIRECTORY:
            return _is(user, "national_admin") and target == user.state_code
        case Action.IMPORT_DIRECTORY:
            return _is(user, "network_admin")
        case Action.MANAGE_STATES | Action.MANAGE_OBSERVER_BODIES | Action.VIEW_NETWORK_STATISTICS:
            return _is(user, "network_admin")
        case Action.CREATE_USER:
            role, state_code, state_has_admin = cast("tuple[str, str | None, bool]", target)
            return _creates_user(user, role, state_code, state_has_admin)
        case Action.MANAGE_USER:
            managed = cast("User", target)
            return user.id != getattr(managed, "id", None) and _manages_user(
                user, managed.role, managed.state_code
            )
        case Action.OPEN_CASE:
            return _is(user, "practitioner", "national_admin") and user.state_code is not None
    return False


def require(user: User | None, action: Action, target: object = None) -> None:
    """Raise PermissionDenied unless ``can`` allows the action."""
    if not can(user, action, target):
        raise PermissionDenied(N_("You are not allowed to do this."))
