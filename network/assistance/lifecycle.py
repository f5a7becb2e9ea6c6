"""The request state machine: which status may follow which, and which side takes each step.

Pure data and functions, no database: the service asks ``allowed_steps`` and
``check_step``; the statistics read ``TERMINAL`` and ``ANSWERED``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from network.core.errors import InvalidTransition
from network.core.i18n import N_


class Status(StrEnum):
    DRAFT = "draft"
    SHARED_FOR_COMMENT = "shared_for_comment"
    SENT = "sent"
    RECEIVED = "received"
    MORE_INFORMATION_REQUESTED = "more_information_requested"
    INFORMATION_PROVIDED = "information_provided"
    IN_EXECUTION = "in_execution"
    PARTLY_EXECUTED = "partly_executed"
    EXECUTED = "executed"
    REFUSED = "refused"
    POSTPONED = "postponed"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


class Side(StrEnum):
    """Who takes a step: the requesting State, the requested State, or either."""

    REQUESTING = "requesting"
    REQUESTED = "requested"
    EITHER = "either"


S = Status
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

TRANSITIONS: dict[Status, dict[Status, Side]] = {
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

# Grounds for refusal, as codes that statistics can count (UNCAC 46(21), 46(9)).
REFUSAL_GROUNDS: dict[str, str] = {
    "46_21_a": N_("46(21)(a): not made in conformity with article 46"),
    "46_21_b": N_(
        "46(21)(b): prejudice to sovereignty, security, ordre public or essential interests"
    ),
    "46_21_c": N_("46(21)(c): domestic law prohibits the action for a similar offence"),
    "46_21_d": N_("46(21)(d): contrary to the legal system of the requested State"),
    "46_9_b": N_("46(9)(b): absence of dual criminality"),
    "46_9_de_minimis": N_("46(9)(b): de minimis or available by other means"),
    "other": N_("Other ground (stated in the reason)"),
}


@dataclass(frozen=True)
class Step:
    to: str
    side: str


def allowed_steps(current: str) -> list[Step]:
    """Every status that may follow ``current`` and who may take it."""
    return [Step(to.value, side.value) for to, side in TRANSITIONS[Status(current)].items()]


def steps_for(current: str, acting: Side | None) -> list[str]:
    """The next statuses this side may choose; an observer (None) has none."""
    if acting is None:
        return []
    return [
        step.to for step in allowed_steps(current) if step.side in (acting.value, Side.EITHER.value)
    ]


def check_step(current: str, to: str, acting: Side | None) -> None:
    """Raise InvalidTransition, listing what this side may do next, unless the step is allowed.

    ``errors["allowed"]`` holds the statuses the actor's side may choose now (the
    API returns it with the 409), ``errors["to"]`` says what was wrong.
    """
    allowed = steps_for(current, acting)
    if to not in {each.value for each in Status}:
        raise InvalidTransition(
            N_("Unknown status."), {"to": [N_("Unknown status.")], "allowed": allowed}
        )
    step = TRANSITIONS[Status(current)].get(Status(to))
    if step is None or acting is None or step not in (acting, Side.EITHER):
        raise InvalidTransition(
            N_("A request that is %(current)s cannot move to %(to)s from your side."),
            {"to": [N_("This step is not allowed now.")], "allowed": allowed},
            current=current,
            to=to,
        )
