"""The request state machine: which status may follow which, and which side takes each step.

Pure data and functions, no database: the service asks ``allowed_steps`` and
``check_step``; the statistics read ``TERMINAL`` and ``ANSWERED``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from network.core.errors import InvalidTransition
from network.core.i18n import N_
from network.schemas.vocabularies import RequestStatus


class Side(StrEnum):
    """Who takes a step: the requesting State, the requested State, or either."""

    REQUESTING = "requesting"
    REQUESTED = "requested"
    EITHER = "either"


S = RequestStatus
_REQUESTING = Side.REQUESTING
_REQUESTED = Side.REQUESTED

# What the requested side may decide once it holds the request (46(21), 46(25), 46(24)).
_DECISIONS = (
    S.IN_EXECUTION,
    S.PARTLY_EXECUTED,
    S.EXECUTED,
    S.REFUSED,
    S.POSTPONED,
    S.MORE_INFORMATION_REQUESTED,
)

TRANSITIONS: dict[RequestStatus, dict[RequestStatus, Side]] = {
    S.DRAFT: {S.SHARED_FOR_COMMENT: _REQUESTING, S.SENT: _REQUESTING, S.WITHDRAWN: _REQUESTING},
    S.SHARED_FOR_COMMENT: {S.DRAFT: _REQUESTING, S.SENT: _REQUESTING, S.WITHDRAWN: _REQUESTING},
    S.SENT: {S.RECEIVED: _REQUESTED, S.WITHDRAWN: _REQUESTING},
    S.RECEIVED: {**dict.fromkeys(_DECISIONS, _REQUESTED), S.WITHDRAWN: _REQUESTING},
    S.MORE_INFORMATION_REQUESTED: {S.INFORMATION_PROVIDED: _REQUESTING, S.WITHDRAWN: _REQUESTING},
    S.INFORMATION_PROVIDED: {**dict.fromkeys(_DECISIONS, _REQUESTED), S.WITHDRAWN: _REQUESTING},
    S.IN_EXECUTION: {
        **dict.fromkeys(
            (S.PARTLY_EXECUTED, S.EXECUTED, S.REFUSED, S.POSTPONED, S.MORE_INFORMATION_REQUESTED),
            _REQUESTED,
        ),
        S.WITHDRAWN: _REQUESTING,
    },
    S.PARTLY_EXECUTED: {
        **dict.fromkeys(
            (S.IN_EXECUTION, S.EXECUTED, S.REFUSED, S.POSTPONED, S.MORE_INFORMATION_REQUESTED),
            _REQUESTED,
        ),
        S.WITHDRAWN: _REQUESTING,
        S.CLOSED: Side.EITHER,
    },
    S.POSTPONED: {
        **dict.fromkeys((S.IN_EXECUTION, S.PARTLY_EXECUTED, S.EXECUTED, S.REFUSED), _REQUESTED),
        S.WITHDRAWN: _REQUESTING,
    },
    S.EXECUTED: {S.CLOSED: Side.EITHER},
    S.REFUSED: {S.CLOSED: Side.EITHER},
    S.WITHDRAWN: {S.CLOSED: Side.EITHER},
    S.CLOSED: {},
}

# An answer from the requested State: response time runs from SENT to the first of these.
ANSWERED = frozenset({S.PARTLY_EXECUTED, S.EXECUTED, S.REFUSED})
TERMINAL = frozenset({S.CLOSED})
# While in these, the requesting side may still edit the request's contents.
EDITABLE = frozenset({S.DRAFT, S.SHARED_FOR_COMMENT, S.MORE_INFORMATION_REQUESTED})
# Waiting on the requested side (for the dashboard and the 30-day rule).
WITH_REQUESTED_SIDE = frozenset(
    {S.SENT, S.RECEIVED, S.INFORMATION_PROVIDED, S.IN_EXECUTION, S.PARTLY_EXECUTED, S.POSTPONED}
)


@dataclass(frozen=True)
class Step:
    to: str
    side: str


def allowed_steps(current: str) -> list[Step]:
    """Every status that may follow ``current`` and who may take it."""
    return [Step(to.value, side.value) for to, side in TRANSITIONS[RequestStatus(current)].items()]


def steps_for(current: str, acting: Side | None) -> list[str]:
    """The next statuses this side may choose; an observer (None) has none."""
    if acting is None:
        return []
    return [
        step.to for step in allowed_steps(current) if step.side in (acting.value, Side.EITHER.value)
    ]


def where_it_stands(current: str, acting: Side | None) -> dict[str, list[str]]:
    """What a 409 tells the actor: the status now, and the steps their side may take from it."""
    return {"current": [current], "allowed": steps_for(current, acting)}


def check_step(current: str, to: str, acting: Side | None) -> None:
    """Raise InvalidTransition, listing what this side may do next, unless the step is allowed.

    ``errors["current"]`` holds the status now and ``errors["allowed"]`` the statuses the
    actor's side may choose from it (the API returns both with the 409); ``errors["to"]``
    says what was wrong.
    """
    stands = where_it_stands(current, acting)
    if to not in {each.value for each in RequestStatus}:
        raise InvalidTransition(N_("Unknown status."), {"to": [N_("Unknown status.")], **stands})
    step = TRANSITIONS[RequestStatus(current)].get(RequestStatus(to))
    if step is None or acting is None or step not in (acting, Side.EITHER):
        raise InvalidTransition(
            N_("A request that is %(current)s cannot move to %(to)s from your side."),
            {"to": [N_("This step is not allowed now.")], **stands},
            current=current,
            to=to,
        )
