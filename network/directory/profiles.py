"""Country profiles: what each State requires, kept in versions, and the checklist they give."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.auth.policy import Action, require
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.directory.changes import changed_since, diff, snapshot
from network.directory.languages import language_name
from network.directory.models import CountryProfile, State
from network.directory.validation import Fields, reject
from network.extensions import db
from network.schemas.directory_vocabularies import (
    DUAL_CRIMINALITY,
    FOREIGN_ORDERS,
    TREATY_OR_RECIPROCITY,
)

PROFILE_FIELDS = (
    "uncac_basis_mla",
    "uncac_basis_extradition",
    "uncac_basis_confiscation",
    "treaty_or_reciprocity",
    "dual_criminality",
    "persons_notified",
    "appeal_possible",
    "evidence_use_limits",
    "foreign_freezing_orders",
    "foreign_confiscation_orders",
    "ncb_forfeiture",
    "foreign_ncb_enforceable",
    "longest_freeze",
    "freeze_extension",
    "urgent_procedure",
    "languages",
    "translation_needs",
    "typical_time_to_freeze",
    "links",
    "templates",
)


def current_profile(state_code: str) -> CountryProfile | None:
    """The latest version of a State's country profile, or None if it has none yet."""
    return db.session.scalar(
        select(CountryProfile)
        .where(CountryProfile.state_code == state_code.upper())
        .order_by(CountryProfile.version.desc())
        .limit(1)
    )


def profile_history(state_code: str) -> list[CountryProfile]:
    return list(
        db.session.scalars(
            select(CountryProfile)
            .where(CountryProfile.state_code == state_code.upper())
            .order_by(CountryProfile.version.desc())
        )
    )


def clean_profile(values: Mapping[str, Any]) -> Fields:
    fields = Fields(values, partial=False)
    fields.unknown({*PROFILE_FIELDS, "note"})
    for name in (
        "uncac_basis_mla",
        "uncac_basis_extradition",
        "uncac_basis_confiscation",
        "persons_notified",
        "appeal_possible",
        "ncb_forfeiture",
        "foreign_ncb_enforceable",
    ):
        fields.boolean(name, None, nullable=True)
    fields.choice("treaty_or_reciprocity", TREATY_OR_RECIPROCITY, "unknown")
    fields.choice("dual_criminality", DUAL_CRIMINALITY, "unknown")
    fields.choice("foreign_freezing_orders", FOREIGN_ORDERS, "unknown")
    fields.choice("foreign_confiscation_orders", FOREIGN_ORDERS, "unknown")
    for name in (
        "evidence_use_limits",
        "freeze_extension",
        "urgent_procedure",
        "translation_needs",
        "templates",
    ):
        fields.text(name, 4000)
    fields.text("longest_freeze", 300)
    fields.text("typical_time_to_freeze", 300)
    fields.languages("languages")
    fields.links("links")
    fields.text("note", 500)
    return fields


def revise_profile(
    actor: User | None,
    state_code: str,
    values: Mapping[str, Any],
    *,
    now: datetime,
    is_demo: bool = False,
    expected_version: int | None = None,
) -> CountryProfile:
    """Save a new version of the profile; earlier versions stay as they were, with their author.

    Fields left out keep their current value, so a revision names only what changed. The
    State's row is locked, so two revisions never build on the same version;
    ``expected_version`` is the one the editor saw (0: none yet), refused once replaced.
    """
    state = load_for_change(db.session, State, (state_code or "").upper())
    if state is None:
        raise InvalidInput(N_("Unknown State."), {"state": [N_("Unknown State code.")]})
    if actor is not None:
        require(actor, Action.EDIT_STATE_DIRECTORY, state.code)
    current = current_profile(state.code)
    if expected_version is not None and expected_version != (current.version if current else 0):
        author, at = (current.changed_by, current.changed_at) if current else (None, None)
        raise changed_since(author, at)
    base = snapshot(current, PROFILE_FIELDS) if current else {}
    fields = clean_profile({**base, **values})
    reject(fields)
    note = fields.clean.pop("note", "")
    details = diff(base, fields.clean)
    profile = CountryProfile(
        state_code=state.code,
        version=(current.version + 1) if current else 1,
        note=note,
        is_demo=is_demo,
        changed_at=now,
        changed_by_id=actor.id if actor is not None else None,
        **fields.clean,
    )
    db.session.add(profile)
    db.session.flush()
    audit.record(
        actor,
        "directory.profile.revised",
        "state",
        state.code,
        {"version": profile.version, **details},
        at=now,
    )
    return profile


def _yes_no(value: bool | None) -> str:
    return {True: N_("Yes"), False: N_("No"), None: N_("Not stated")}[value]


def profile_checklist(profile: CountryProfile) -> list[tuple[str, str]]:
    """(label, value) pairs a requesting State checks before it asks; texts marked with N_."""
    items = [
        (N_("UNCAC accepted as legal basis for MLA"), _yes_no(profile.uncac_basis_mla)),
        (
            N_("UNCAC accepted as legal basis for extradition"),
            _yes_no(profile.uncac_basis_extradition),
        ),
        (
            N_("UNCAC accepted as legal basis for confiscation"),
            _yes_no(profile.uncac_basis_confiscation),
        ),
        (N_("Treaty or reciprocity"), TREATY_OR_RECIPROCITY[profile.treaty_or_reciprocity]),
        (N_("Dual criminality"), DUAL_CRIMINALITY[profile.dual_criminality]),
        (N_("Affected persons are notified (tipping-off risk)"), _yes_no(profile.persons_notified)),
        (N_("Affected persons may appeal"), _yes_no(profile.appeal_possible)),
        (N_("Foreign freezing orders"), FOREIGN_ORDERS[profile.foreign_freezing_orders]),
        (
            N_("Foreign confiscation orders"),
            FOREIGN_ORDERS[profile.foreign_confiscation_orders],
        ),
        (N_("Non-conviction-based forfeiture possible"), _yes_no(profile.ncb_forfeiture)),
        (N_("Foreign NCB orders enforceable"), _yes_no(profile.foreign_ncb_enforceable)),
        (N_("Longest provisional freeze"), profile.longest_freeze or N_("Not stated")),
        (N_("Extension of a freeze"), profile.freeze_extension or N_("Not stated")),
        (N_("Urgent procedure"), profile.urgent_procedure or N_("Not stated")),
        (N_("Limits on the use of evidence"), profile.evidence_use_limits or N_("Not stated")),
        (
            N_("Languages accepted"),
            ", ".join(language_name(code) for code in profile.languages) or N_("Not stated"),
        ),
        (N_("Translation needs"), profile.translation_needs or N_("Not stated")),
        (N_("Typical time to freeze"), profile.typical_time_to_freeze or N_("Not stated")),
    ]
    return items
