"""Which status an asset may move to next: the asset's state machine, read by verbs and views."""

from __future__ import annotations

# Which asset status may follow which; "returned" only through record_return (art. 57 details).
ASSET_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "identified": ("frozen_or_seized", "confiscated", "released"),
    "frozen_or_seized": ("confiscated", "released"),
    "confiscated": ("returned", "released"),
    "released": ("frozen_or_seized",),
    "returned": (),
}


def offered_statuses(status: str) -> list[str]:
    """The statuses a user may choose next (a return is recorded with its details instead)."""
    return [each for each in ASSET_TRANSITIONS[status] if each != "returned"]
