"""Specifications for the request state machine itself (no database)."""

from __future__ import annotations

import pytest

from network.assistance import lifecycle
from network.assistance.lifecycle import Side
from network.core.errors import InvalidTransition
from network.schemas.vocabularies import RequestStatus


def test_closed_is_the_end_and_only_reached_after_an_outcome() -> None:
    assert lifecycle.allowed_steps("closed") == []
    reaching_closed = {
        status.value
        for status in RequestStatus
        if "closed" in [step.to for step in lifecycle.allowed_steps(status.value)]
    }
    assert reaching_closed == {"executed", "partly_executed", "refused", "withdrawn"}


def test_the_requested_side_decides_once_it_holds_the_request() -> None:
    assert lifecycle.steps_for("received", Side.REQUESTED) == [
        "in_execution", "partly_executed", "executed", "refused", "postponed",
        "more_information_requested",
    ]
    assert lifecycle.steps_for("received", Side.REQUESTING) == ["withdrawn"]
    assert lifecycle.steps_for("received", None) == []


def test_an_unknown_status_is_an_invalid_transition() -> None:
    with pytest.raises(InvalidTransition) as refused:
        lifecycle.check_step("draft", "teleported", Side.REQUESTING)
    assert refused.value.errors["allowed"] == ["shared_for_comment", "sent", "withdrawn"]
