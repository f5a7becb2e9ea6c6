""" "Who do I ask": the competent authority and focal points for a kind of assistance in a State.

Drawn from the directory and the State's country profile only; ARNet proposes, the
practitioner decides (it never rules on competence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from network.auth.models import User
from network.auth.policy import Action, require
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.directory.models import Authority, CountryProfile, FocalPoint, State
from network.directory.profiles import current_profile, profile_checklist
from network.extensions import db
from network.schemas.library_vocabularies import WHO_TO_ASK

# The profile's answers that matter for each kind of assistance (labels as profile_checklist's).
_PROFILE_LABELS = {
    "mla": ("UNCAC accepted as legal basis for MLA", "Dual criminality", "Treaty or reciprocity"),
    "provisional_measures": (
        "Foreign freezing orders",
        "Longest provisional freeze",
        "Extension of a freeze",
        "Urgent procedure",
        "Affected persons are notified (tipping-off risk)",
    ),
    "confiscation": (
        "UNCAC accepted as legal basis for confiscation",
        "Foreign confiscation orders",
        "Non-conviction-based forfeiture possible",
        "Foreign NCB orders enforceable",
    ),
    "recognition": (
        "Foreign freezing orders",
        "Foreign confiscation orders",
        "Affected persons may appeal",
    ),
    "return": ("UNCAC accepted as legal basis for confiscation", "Foreign confiscation orders"),
    "informal_enquiry": ("Urgent procedure", "Typical time to freeze"),
}


@dataclass(frozen=True)
class WhoToAsk:
    """The proposal: the State, its authorities and focal points (most competent first), profile."""

    state: State
    assistance: str
    authorities: list[Authority] = field(default_factory=list)
    focal_points: list[FocalPoint] = field(default_factory=list)
    profile: CountryProfile | None = None
    profile_notes: list[tuple[str, str]] = field(default_factory=list)


def who_to_ask(actor: User, assistance: str, asset_state: str) -> WhoToAsk:
    """Propose whom to ask in the State where the asset is, for this kind of assistance."""
    require(actor, Action.READ_DIRECTORY)
    if assistance not in WHO_TO_ASK:
        raise InvalidInput(
            N_("Some values are not valid."), {"assistance": [N_("Unknown kind of assistance.")]}
        )
    state = db.session.get(State, asset_state.upper())
    if state is None:
        raise InvalidInput(
            N_("Some values are not valid."), {"asset_state": [N_("No State with this code.")]}
        )
    _label, kinds, expertise = WHO_TO_ASK[assistance]
    rank = {kind: place for place, kind in enumerate(kinds)}
    authorities = sorted(
        db.session.scalars(
            select(Authority).where(
                Authority.state_code == state.code,
                Authority.kind.in_(kinds),
                Authority.status == "active",
            )
        ),
        key=lambda each: (rank[each.kind], each.id),
    )
    authority_rank = {each.id: place for place, each in enumerate(authorities)}
    people = db.session.scalars(
        select(FocalPoint).where(FocalPoint.state_code == state.code, FocalPoint.status == "active")
    )
    # Focal points of a competent authority, or with the matching expertise, best first.
    focal_points = sorted(
        (
            each
            for each in people
            if each.authority_id in authority_rank or expertise in (each.expertise or [])
        ),
        key=lambda each: (
            expertise not in (each.expertise or []),
            authority_rank.get(each.authority_id, len(authority_rank)),
            each.name,
        ),
    )
    profile = current_profile(state.code)
    notes: list[tuple[str, str]] = []
    if profile is not None:
        wanted = _PROFILE_LABELS[assistance]
        notes = [(label, value) for label, value in profile_checklist(profile) if label in wanted]
    return WhoToAsk(state, assistance, authorities, focal_points, profile, notes)
