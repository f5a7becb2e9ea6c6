"""Read models of directory entries: each entry with what a reader sees of it at a moment.

A read model answers every attribute of its entry, and adds the values computed from the
clock (staleness, office hours) or made for the reader (the translated checklist), so that
the schemas dump them without calling back into the directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from network.directory.freshness import is_stale
from network.directory.models import Authority, CountryProfile, FocalPoint
from network.directory.office_hours import office_status
from network.directory.profiles import profile_checklist


class _Reading:
    """Answers for its entry whatever the read model does not hold itself."""

    entry: object

    def __getattr__(self, name: str) -> object:
        if name == "entry":  # not yet set (copying, unpickling): no endless lookup
            raise AttributeError(name)
        return getattr(self.entry, name)


@dataclass(frozen=True)
class AuthorityReading(_Reading):
    """An authority, whether it is stale, and its office's hours now."""

    entry: Authority
    stale: bool
    office_open_now: bool
    local_time_now: datetime


@dataclass(frozen=True)
class FocalPointReading(_Reading):
    """A focal point and whether it is stale."""

    entry: FocalPoint
    stale: bool


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    value: str


@dataclass(frozen=True)
class ProfileReading(_Reading):
    """A country-profile version with its checklist in the reader's language."""

    entry: CountryProfile
    checklist: list[ChecklistItem]


def read_authority(authority: Authority, now: datetime) -> AuthorityReading:
    office = office_status(authority, now)
    return AuthorityReading(authority, is_stale(authority, now), office.is_open, office.local_time)


def read_focal_point(focal_point: FocalPoint, now: datetime) -> FocalPointReading:
    return FocalPointReading(focal_point, is_stale(focal_point, now))


def read_profile(profile: CountryProfile, translate: Callable[[str], str]) -> ProfileReading:
    """The profile with its checklist; ``translate`` is the edge's gettext for the reader."""
    items = [
        ChecklistItem(translate(label), translate(value))
        for label, value in profile_checklist(profile)
    ]
    return ProfileReading(profile, items)
