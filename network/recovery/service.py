"""Recovery services: subjects, assets and returns, provisional measures and their deadlines.

Every function takes the acting user and plain values, loads the case through
``case_scope`` (and so ``access_case``), writes its audit record in the
caller's transaction and flushes; the entry point commits once. A measure's
status is derived by ``measure_status`` from its dates, its extensions and the
issuing State's time zone; "lapsed" is never stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from network.assistance import checklist
from network.assistance.models import AssistanceRequest
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import (
    CaseScope,
    PersonRef,
    case_scope,
    my_scopes,
    person_of,
    record_scope,
    require_party,
    writable_relationship,
)
from network.core.clock import end_of_day, start_of_day
from network.core.errors import Conflict, NotFound
from network.core.i18n import N_
from network.directory.states import state_zone
from network.extensions import db
from network.recovery.models import (
    Asset,
    AssetReturn,
    AssetStatusChange,
    Consultation,
    MeasureEvent,
    MeasureExtension,
    ProvisionalMeasure,
    Subject,
)
from network.schemas.vocabularies import (
    ASSET_KINDS,
    CONSULTATION_DECISIONS,
    ENFORCEMENT,
    MEASURE_BASES,
    MEASURE_KINDS,
    RETURN_BASES,
    SUBJECT_KINDS,
    SUBJECT_ROLES,
)
from network.sealing.integrity import OK, Opened

# Which asset status may follow which; "returned" only through record_return (art. 57 details).
ASSET_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "identified": ("frozen_or_seized", "confiscated", "released"),
    "frozen_or_seized": ("confiscated", "released"),
    "confiscated": ("returned", "released"),
    "released": ("frozen_or_seized",),
    "returned": (),
}
MAX_NAMES = 20
MAX_TEXT = 4_000
MAX_IDENTIFIERS = 30


class MeasureAlreadyLapsed(Conflict):
    """The order lapsed before the extension was recorded; a new order is needed instead."""


class MeasureClosed(Conflict):
    """The order was lifted or replaced by confiscation; it changes no more."""


# --- derived: a measure's expiry and status ----------------------------------------------------


def issuing_zone(measure: ProvisionalMeasure) -> ZoneInfo:
    """The time zone the order's dates are read in: the issuing State's."""
    return state_zone(measure.issuer)


def current_expiry(measure: ProvisionalMeasure) -> date | None:
    """The expiry date in force: the latest extension's, else the order's own."""
    if measure.extensions:
        return measure.extensions[-1].new_expires_on
    return measure.expires_on


def expires_at(measure: ProvisionalMeasure) -> datetime | None:
    """The instant the order lapses: the end of its expiry date in the issuing State's time zone.

    An order "expiring on 31 March" in Lima holds until midnight between 31 March
    and 1 April, Lima time, whatever the viewer's time zone. None: no expiry.
    """
    expiry = current_expiry(measure)
    if expiry is None:
        return None
    return end_of_day(expiry, issuing_zone(measure))


def effective_at(measure: ProvisionalMeasure) -> datetime | None:
    if measure.effective_on is None:
        return None
    return start_of_day(measure.effective_on, issuing_zone(measure))


def measure_status(measure: ProvisionalMeasure, now: datetime) -> str:
    """requested, in_force, extended, lapsed, lifted or replaced, as of ``now``."""
    if measure.replaced_at is not None:
        return "replaced"
    if measure.lifted_at is not None:
        return "lifted"
    starts = effective_at(measure)
    if starts is None or now < starts:
        return "requested"
    ends = expires_at(measure)
    if ends is not None and now >= ends:
        return "lapsed"
    return "extended" if measure.extensions else "in_force"


def is_open(measure: ProvisionalMeasure) -> bool:
    """Neither lifted nor replaced (a lapsed order stays open: it needs someone's attention)."""
    return measure.lifted_at is None and measure.replaced_at is None


# --- views -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectView:
    id: int
    case_id: int
    requested_state: str
    kind: str
    names: list[str]
    transliterations: list[str]
    roles: list[str]
    nationality: str | None
    identifiers: dict[str, str]
    recorded_by: PersonRef | None
    recorded_at: datetime
    integrity: str = OK


@dataclass(frozen=True)
class AssetStepView:
    from_status: str | None
    to_status: str
    reason: str | None
    measure_id: int | None
    actor: PersonRef | None
    at: datetime
    integrity: str = OK


@dataclass(frozen=True)
class ReturnView:
    id: int
    basis: str
    amount: Decimal
    currency: str
    expenses_deducted: Decimal
    net_amount: Decimal
    agreement_reference: str
    disbursed_on: date | None
    recorded_by: PersonRef | None
    recorded_at: datetime


@dataclass
class AssetView:
    id: int
    case_id: int
    requested_state: str
    kind: str
    location_state: str
    holder_id: int | None
    holder_name: str | None
    estimated_value: Decimal | None
    currency: str | None
    description: str
    identifiers: dict[str, str]
    third_party_interests: str
    status: str
    status_since: datetime
    allowed_statuses: list[str]
    recorded_by: PersonRef | None
    recorded_at: datetime
    measure_ids: list[int] = field(default_factory=list)
    history: list[AssetStepView] = field(default_factory=list)
    returns: list[ReturnView] = field(default_factory=list)
    integrity: str = OK


@dataclass(frozen=True)
class ExtensionView:
    id: int
    previous_expires_on: date | None
    new_expires_on: date
    asked_by_state: str
    note: str
    recorded_by: PersonRef | None
    recorded_at: datetime


@dataclass(frozen=True)
class MeasureEventView:
    event: str
    details: dict[str, str | None]
    actor: PersonRef | None
    at: datetime


@dataclass(frozen=True)
class ConsultationView:
    id: int
    invited_on: date
    deadline_on: date
    representations_received_on: date | None
    representations: str | None
    decision: str
    recorded_by: PersonRef | None
    recorded_at: datetime
    integrity: str = OK


@dataclass
class MeasureView:
    """A measure with its derived status, its expiry instant and the issuing State's time zone."""

    id: int
    case_id: int
    requested_state: str
    request_id: int | None
    kind: str
    issuing_authority: str | None
    issuing_state: str
    issuing_time_zone: str
    legal_basis: str
    enforcement: str
    order_reference: str | None
    effective_on: date | None
    expires_on: date | None
    current_expires_on: date | None
    expires_at: datetime | None
    longest_duration_days: int | None
    next_review_on: date | None
    status: str
    asset_ids: list[int]
    extension_count: int
    lifted_at: datetime | None
    lifted_reason: str | None
    replaced_at: datetime | None
    confiscation_reference: str
    confiscated_on: date | None
    recorded_by: PersonRef | None
    recorded_at: datetime
    extensions: list[ExtensionView] = field(default_factory=list)
    history: list[MeasureEventView] = field(default_factory=list)
    consultations: list[ConsultationView] = field(default_factory=list)
    integrity: str = OK


# --- helpers ---------------------------------------------------------------------------------


def _strings(values: Iterable[Any] | None, limit: int, name: str, each_max: int = 300) -> list[str]:
    items = [str(value).strip() for value in (values or []) if str(value).strip()]
    if len(items) > limit:
        raise checklist.refuse(name, N_("At most %(max)s entries."), max=limit)
    for item in items:
        if len(item) > each_max:
            raise checklist.refuse(name, N_("At most %(max)s characters."), max=each_max)
    return items


def _identifiers(values: Mapping[str, Any] | None, name: str = "identifiers") -> dict[str, str]:
    values = values or {}
    if len(values) > MAX_IDENTIFIERS:
        raise checklist.refuse(name, N_("At most %(max)s entries."), max=MAX_IDENTIFIERS)
    cleaned: dict[str, str] = {}
    for label, value in values.items():
        key = str(label).strip()
        text = str(value or "").strip()
        if not key or len(key) > 60 or len(text) > 300:
            raise checklist.refuse(
                name, N_("Each identifier needs a label (60) and a value (300).")
            )
        cleaned[key] = text
    return cleaned


# --- subjects --------------------------------------------------------------------------------


def record_subject(
    actor: User,
    case_id: int,
    *,
    kind: str,
    names: Sequence[str],
    roles: Sequence[str] = (),
    transliterations: Sequence[str] = (),
    nationality: str | None = None,
    identifiers: Mapping[str, Any] | None = None,
    requested_state: str | None = None,
    now: datetime,
) -> Subject:
    """Record a natural or legal person; names and identifiers are sealed."""
    scope = case_scope(actor, case_id)
    relationship = writable_relationship(scope, requested_state, "requested_state")
    checklist.choice(kind, SUBJECT_KINDS, "kind")
    cleaned_names = _strings(names, MAX_NAMES, "names")
    if not cleaned_names:
        raise checklist.refuse("names", N_("Give at least one name."))
    cleaned_roles = list(dict.fromkeys(roles))
    for role in cleaned_roles:
        checklist.choice(role, SUBJECT_ROLES, "roles")
    identity = {
        "names": cleaned_names,
        "transliterations": _strings(transliterations, MAX_NAMES, "transliterations"),
        "identifiers": _identifiers(identifiers),
    }
    subject = Subject(
        case_id=scope.case.id,
        requested_state=relationship,
        kind=kind,
        roles=cleaned_roles,
        nationality=checklist.state_code(nationality, "nationality") if nationality else None,
        recorded_by_id=actor.id,
        recorded_at=now,
        identity=identity,
    )
    db.session.add(subject)
    db.session.flush()
    audit.record(
        actor,
        "subject.recorded",
        "subject",
        subject.id,
        {"case": scope.case.id, "kind": kind, "roles": cleaned_roles},
        at=now,
    )
    return subject


def access_subject(actor: User, subject_id: int) -> tuple[Subject, CaseScope]:
    subject = db.session.get(Subject, subject_id)
    if subject is None:
        raise NotFound(N_("No such subject."))
    scope = record_scope(actor, subject.case_id, subject.requested_state, N_("No such subject."))
    return subject, scope


def _subject_view(subject: Subject) -> SubjectView:
    sealed = Opened(subject)
    identity = sealed[Subject.identity] or {}
    return SubjectView(
        id=subject.id,
        case_id=subject.case_id,
        requested_state=subject.requested_state,
        kind=subject.kind,
        names=identity.get("names", []),
        transliterations=identity.get("transliterations", []),
        roles=list(subject.roles),
        nationality=subject.nationality,
        identifiers=identity.get("identifiers", {}),
        recorded_by=person_of(subject.recorded_by),
        recorded_at=subject.recorded_at,
        integrity=sealed.integrity,
    )


def list_subjects(actor: User, case_id: int) -> list[SubjectView]:
    """The case's subjects the actor's sides see, oldest first."""
    scope = case_scope(actor, case_id)
    rows = db.session.scalars(
        select(Subject)
        .where(Subject.case_id == scope.case.id, Subject.requested_state.in_(sorted(scope.visible)))
        .order_by(Subject.id)
    ).all()
    return [_subject_view(each) for each in rows]


def subject_view(actor: User, subject_id: int, now: datetime) -> SubjectView:
    subject, _scope = access_subject(actor, subject_id)
    audit.record(actor, "subject.viewed", "subject", subject.id, at=now)
    return _subject_view(subject)


# --- assets ----------------------------------------------------------------------------------


_Linked = TypeVar("_Linked", Subject, AssistanceRequest)


def _linked_id(
    model: type[_Linked],
    row_id: int | None,
    scope: CaseScope,
    relationship: str,
    field: str,
    message: str,
) -> int | None:
    """The id of a row of the same case and requested State, or a refusal naming the field."""
    if row_id is None:
        return None
    row = db.session.get(model, row_id)
    if row is None or row.case_id != scope.case.id or row.requested_state != relationship:
        raise checklist.refuse(field, message)
    return row.id


def _holder(scope: CaseScope, holder_id: int | None, relationship: str) -> int | None:
    message = N_("Choose a subject recorded with the same State.")
    return _linked_id(Subject, holder_id, scope, relationship, "holder", message)


def _value(
    estimated_value: Decimal | str | None, currency: str | None
) -> tuple[Decimal | None, str | None]:
    value = checklist.amount(estimated_value, "estimated_value", required=False)
    if value is None:
        if currency:
            return None, checklist.currency(currency)
        return None, None
    if not currency:
        raise checklist.refuse("currency", N_("Give the currency of the value."))
    return value, checklist.currency(currency)


def _asset_step(
    asset: Asset,
    to: str,
    actor: User,
    now: datetime,
    reason: str = "",
    measure_id: int | None = None,
    *,
    initial: bool = False,
) -> None:
    step = AssetStatusChange(
        asset_id=asset.id,
        from_status=None if initial else asset.status,
        to_status=to,
        measure_id=measure_id,
        actor_id=actor.id,
        at=now,
        reason=reason,
    )
    db.session.add(step)
    asset.status = to
    asset.status_since = now
    db.session.flush()


def record_asset(
    actor: User,
    case_id: int,
    *,
    kind: str,
    location_state: str,
    holder: int | None = None,
    estimated_value: Decimal | str | None = None,
    currency: str | None = None,
    description: str = "",
    identifiers: Mapping[str, Any] | None = None,
    third_party_interests: str = "",
    requested_state: str | None = None,
    now: datetime,
) -> Asset:
    """Record an identified asset; description, identifiers and third-party interests are sealed.

    Unless named, the asset belongs to the relationship with the State it is
    located in (when that is one of the requested States the actor works with).
    """
    scope = case_scope(actor, case_id)
    require_party(scope)
    location = checklist.state_code(location_state, "location_state")
    if requested_state is None and location in scope.visible:
        requested_state = location
    relationship = writable_relationship(scope, requested_state, "requested_state")
    value, money = _value(estimated_value, currency)
    details = {
        "description": checklist.text(description, MAX_TEXT, "description"),
        "identifiers": _identifiers(identifiers),
        "third_party_interests": checklist.text(
            third_party_interests, MAX_TEXT, "third_party_interests"
        ),
    }
    asset = Asset(
        case_id=scope.case.id,
        requested_state=relationship,
        kind=checklist.choice(kind, ASSET_KINDS, "kind"),
        location_state=location,
        holder_id=_holder(scope, holder, relationship),
        estimated_value=value,
        currency=money,
        status="identified",
        status_since=now,
        recorded_by_id=actor.id,
        recorded_at=now,
        details=details,
    )
    db.session.add(asset)
    db.session.flush()
    _asset_step(asset, "identified", actor, now, initial=True)
    audit.record(
        actor,
        "asset.recorded",
        "asset",
        asset.id,
        {"case": scope.case.id, "kind": asset.kind, "location_state": location},
        at=now,
    )
    return asset


def access_asset(actor: User, asset_id: int) -> tuple[Asset, CaseScope]:
    asset = db.session.get(Asset, asset_id)
    if asset is None:
        raise NotFound(N_("No such asset."))
    scope = record_scope(actor, asset.case_id, asset.requested_state, N_("No such asset."))
    return asset, scope


def update_asset(actor: User, asset_id: int, values: Mapping[str, Any], now: datetime) -> Asset:
    """Correct an asset's holder, value, description, identifiers or third-party interests."""
    asset, scope = access_asset(actor, asset_id)
    require_party(scope)
    if "holder" in values:
        asset.holder_id = _holder(scope, values["holder"], asset.requested_state)
    if "estimated_value" in values or "currency" in values:
        asset.estimated_value, asset.currency = _value(
            values.get("estimated_value", asset.estimated_value),
            values.get("currency", asset.currency),
        )
    details = asset.details
    if "description" in values:
        details["description"] = checklist.text(values["description"], MAX_TEXT, "description")
    if "identifiers" in values:
        details["identifiers"] = _identifiers(values["identifiers"])
    if "third_party_interests" in values:
        details["third_party_interests"] = checklist.text(
            values["third_party_interests"], MAX_TEXT, "third_party_interests"
        )
    asset.details = details
    db.session.flush()
    audit.record(actor, "asset.updated", "asset", asset.id, {"fields": sorted(values)}, at=now)
    return asset


def change_asset_status(actor: User, asset_id: int, to: str, reason: str, now: datetime) -> Asset:
    """Move an asset along identified → frozen or seized → confiscated → returned / released."""
    asset, scope = access_asset(actor, asset_id)
    require_party(scope)
    allowed = ASSET_TRANSITIONS[asset.status]
    if to == "returned" and to in allowed:
        raise checklist.refuse("to", N_("Record the return with its basis and amount instead."))
    if to not in allowed:
        raise Conflict(
            N_("An asset that is %(current)s cannot become %(to)s."),
            {
                "to": [N_("This step is not allowed now.")],
                "allowed": [each for each in allowed if each != "returned"],
            },
            current=asset.status,
            to=to,
        )
    previous = asset.status
    _asset_step(asset, to, actor, now, checklist.text(reason, MAX_TEXT, "reason"))
    audit.record(
        actor, "asset.status_changed", "asset", asset.id, {"from": previous, "to": to}, at=now
    )
    return asset


def record_return(
    actor: User,
    asset_id: int,
    *,
    basis: str,
    amount: Decimal | str,
    currency: str,
    expenses_deducted: Decimal | str = "0",
    agreement_reference: str = "",
    disbursed_on: date | None = None,
    now: datetime,
) -> AssetReturn:
    """Record a return of confiscated property (57(3)), the expenses deducted (57(4)), the
    agreement (57(5)); the asset becomes "returned". Returns in instalments add rows."""
    asset, scope = access_asset(actor, asset_id)
    require_party(scope)
    if asset.status not in {"confiscated", "returned"}:
        raise Conflict(
            N_("Only confiscated property can be returned; this asset is %(status)s."),
            {"status": [N_("Confiscate the asset first.")]},
            status=asset.status,
        )
    checklist.choice(basis, RETURN_BASES, "basis")
    gross = checklist.amount(amount, "amount")
    expenses = checklist.amount(expenses_deducted, "expenses_deducted") or Decimal(0)
    assert gross is not None  # noqa: S101 - required above
    if expenses > gross:
        raise checklist.refuse("expenses_deducted", N_("Expenses cannot exceed the amount."))
    row = AssetReturn(
        asset_id=asset.id,
        basis=basis,
        amount=gross,
        currency=checklist.currency(currency),
        expenses_deducted=expenses,
        agreement_reference=checklist.text(agreement_reference, 200, "agreement_reference"),
        disbursed_on=disbursed_on,
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    db.session.add(row)
    db.session.flush()
    if asset.status != "returned":
        _asset_step(asset, "returned", actor, now, f"Return recorded under {basis}.")
    audit.record(
        actor,
        "asset.returned",
        "asset",
        asset.id,
        {"return": row.id, "basis": basis, "amount": str(gross), "currency": row.currency},
        at=now,
    )
    return row


def _asset_view(asset: Asset, *, detailed: bool) -> AssetView:
    sealed = Opened(asset)
    details = sealed[Asset.details] or {}
    holder_name = None
    if asset.holder is not None:
        names = _subject_view(asset.holder).names
        holder_name = names[0] if names else None
    view = AssetView(
        id=asset.id,
        case_id=asset.case_id,
        requested_state=asset.requested_state,
        kind=asset.kind,
        location_state=asset.location_state,
        holder_id=asset.holder_id,
        holder_name=holder_name,
        estimated_value=asset.estimated_value,
        currency=asset.currency,
        description=details.get("description", ""),
        identifiers=details.get("identifiers", {}),
        third_party_interests=details.get("third_party_interests", ""),
        status=asset.status,
        status_since=asset.status_since,
        allowed_statuses=[each for each in ASSET_TRANSITIONS[asset.status] if each != "returned"],
        recorded_by=person_of(asset.recorded_by),
        recorded_at=asset.recorded_at,
        integrity=sealed.integrity,
    )
    if not detailed:
        return view
    view.measure_ids = [
        each.id
        for each in db.session.scalars(
            select(ProvisionalMeasure)
            .where(ProvisionalMeasure.assets.any(Asset.id == asset.id))
            .order_by(ProvisionalMeasure.id)
        )
    ]
    steps = db.session.scalars(
        select(AssetStatusChange)
        .where(AssetStatusChange.asset_id == asset.id)
        .order_by(AssetStatusChange.at, AssetStatusChange.id)
    )
    view.history = [_asset_step_view(step) for step in steps]
    returns = db.session.scalars(
        select(AssetReturn).where(AssetReturn.asset_id == asset.id).order_by(AssetReturn.id)
    )
    view.returns = [
        ReturnView(
            id=each.id,
            basis=each.basis,
            amount=each.amount,
            currency=each.currency,
            expenses_deducted=each.expenses_deducted,
            net_amount=each.amount - each.expenses_deducted,
            agreement_reference=each.agreement_reference,
            disbursed_on=each.disbursed_on,
            recorded_by=person_of(each.recorded_by),
            recorded_at=each.recorded_at,
        )
        for each in returns
    ]
    return view


def _asset_step_view(step: AssetStatusChange) -> AssetStepView:
    sealed = Opened(step)
    return AssetStepView(
        from_status=step.from_status,
        to_status=step.to_status,
        reason=sealed[AssetStatusChange.reason],
        measure_id=step.measure_id,
        actor=person_of(step.actor),
        at=step.at,
        integrity=sealed.integrity,
    )


def asset_view(actor: User, asset_id: int, now: datetime) -> AssetView:
    """One asset with its history and returns; the read is audited."""
    asset, _scope = access_asset(actor, asset_id)
    audit.record(actor, "asset.viewed", "asset", asset.id, at=now)
    return _asset_view(asset, detailed=True)


def list_assets(actor: User, case_id: int) -> list[AssetView]:
    """The case's assets the actor's sides see, oldest first."""
    scope = case_scope(actor, case_id)
    rows = db.session.scalars(
        select(Asset)
        .where(Asset.case_id == scope.case.id, Asset.requested_state.in_(sorted(scope.visible)))
        .order_by(Asset.id)
    ).all()
    return [_asset_view(each, detailed=False) for each in rows]


# --- provisional measures --------------------------------------------------------------------


def _event(
    measure: ProvisionalMeasure,
    event: str,
    actor: User,
    now: datetime,
    details: Mapping[str, str | None] | None = None,
) -> None:
    db.session.add(
        MeasureEvent(
            measure_id=measure.id,
            event=event,
            details=dict(details or {}),
            actor_id=actor.id,
            at=now,
        )
    )


def _check_dates(effective_on: date | None, expires_on: date | None) -> None:
    if expires_on is not None and effective_on is None:
        raise checklist.refuse("effective_on", N_("Give the effective date with the expiry date."))
    if effective_on is not None and expires_on is not None and expires_on < effective_on:
        raise checklist.refuse(
            "expires_on", N_("The expiry date cannot be before the effective date.")
        )


def _measure_assets(scope: CaseScope, asset_ids: Sequence[int], relationship: str) -> list[Asset]:
    wanted = list(dict.fromkeys(asset_ids))
    if not wanted:
        raise checklist.refuse("assets", N_("Choose at least one asset."))
    rows = list(db.session.scalars(select(Asset).where(Asset.id.in_(wanted)).order_by(Asset.id)))
    if len(rows) != len(wanted) or any(
        each.case_id != scope.case.id or each.requested_state != relationship for each in rows
    ):
        raise checklist.refuse(
            "assets", N_("Choose assets of this case recorded with the same State.")
        )
    return rows


def _hold_assets(measure: ProvisionalMeasure, actor: User, now: datetime) -> None:
    """Once an order takes effect, the assets it covers are frozen or seized."""
    if measure.effective_on is None:
        return
    for asset in measure.assets:
        if asset.status in {"identified", "released"}:
            _asset_step(asset, "frozen_or_seized", actor, now, f"Order {measure.id}.", measure.id)


def _request_link(scope: CaseScope, request_id: int | None, relationship: str) -> int | None:
    message = N_("Choose a request of this case to the same State.")
    return _linked_id(AssistanceRequest, request_id, scope, relationship, "request", message)


def record_measure(
    actor: User,
    case_id: int,
    *,
    kind: str,
    asset_ids: Sequence[int],
    issuing_authority: str,
    issuing_state: str,
    legal_basis: str,
    enforcement: str = "indirect",
    effective_on: date | None = None,
    expires_on: date | None = None,
    longest_duration_days: int | None = None,
    next_review_on: date | None = None,
    order_reference: str = "",
    request_id: int | None = None,
    requested_state: str | None = None,
    now: datetime,
) -> ProvisionalMeasure:
    """Record a freezing or seizure order; without an effective date it is only "requested".

    Dates are calendar dates in the issuing State's time zone. Unless named, the
    order belongs to the relationship with the issuing State.
    """
    scope = case_scope(actor, case_id)
    require_party(scope)
    issuer = checklist.state_code(issuing_state, "issuing_state")
    if requested_state is None and issuer in scope.visible:
        requested_state = issuer
    relationship = writable_relationship(scope, requested_state, "requested_state")
    _check_dates(effective_on, expires_on)
    if longest_duration_days is not None and not 1 <= longest_duration_days <= 36_500:
        raise checklist.refuse("longest_duration_days", N_("Between 1 and 36500 days."))
    assets = _measure_assets(scope, asset_ids, relationship)
    measure = ProvisionalMeasure(
        case_id=scope.case.id,
        requested_state=relationship,
        request_id=_request_link(scope, request_id, relationship),
        kind=checklist.choice(kind, MEASURE_KINDS, "kind"),
        issuing_state=issuer,
        legal_basis=checklist.choice(legal_basis, MEASURE_BASES, "legal_basis"),
        enforcement=checklist.choice(enforcement, ENFORCEMENT, "enforcement"),
        effective_on=effective_on,
        expires_on=expires_on,
        longest_duration_days=longest_duration_days,
        next_review_on=next_review_on,
        recorded_by_id=actor.id,
        recorded_at=now,
        issuing_authority=checklist.text(
            issuing_authority, 300, "issuing_authority", required=True
        ),
        order_reference=checklist.text(order_reference, 100, "order_reference"),
    )
    measure.assets = assets
    db.session.add(measure)
    db.session.flush()
    _event(
        measure,
        "recorded",
        actor,
        now,
        {
            "effective_on": effective_on.isoformat() if effective_on else None,
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    _hold_assets(measure, actor, now)
    db.session.flush()
    audit.record(
        actor,
        "measure.recorded",
        "measure",
        measure.id,
        {"case": scope.case.id, "kind": measure.kind, "assets": [each.id for each in assets]},
        at=now,
    )
    return measure


def access_measure(actor: User, measure_id: int) -> tuple[ProvisionalMeasure, CaseScope]:
    measure = db.session.get(ProvisionalMeasure, measure_id)
    if measure is None:
        raise NotFound(N_("No such measure."))
    scope = record_scope(actor, measure.case_id, measure.requested_state, N_("No such measure."))
    return measure, scope


def _writable_measure(actor: User, measure_id: int) -> tuple[ProvisionalMeasure, CaseScope]:
    measure, scope = access_measure(actor, measure_id)
    require_party(scope)
    if not is_open(measure):
        raise MeasureClosed(N_("This order was lifted or replaced; it cannot change any more."))
    return measure, scope


_MEASURE_FIELDS = (
    "issuing_authority",
    "order_reference",
    "effective_on",
    "expires_on",
    "longest_duration_days",
    "next_review_on",
)


def update_measure(
    actor: User, measure_id: int, values: Mapping[str, Any], now: datetime
) -> ProvisionalMeasure:
    """Complete or correct an order: its effective date once made, its review hearing ...

    The expiry date itself changes only through an extension once one exists.
    """
    measure, _scope = _writable_measure(actor, measure_id)
    unknown = set(values) - set(_MEASURE_FIELDS)
    if unknown:
        raise checklist.refuse(sorted(unknown)[0], N_("This field cannot be changed."))
    if "expires_on" in values and measure.extensions:
        raise checklist.refuse("expires_on", N_("Record an extension to change the expiry date."))
    effective_on = values.get("effective_on", measure.effective_on)
    expires_on = values.get("expires_on", measure.expires_on)
    _check_dates(effective_on, expires_on)
    if measure.extensions and effective_on is not None and current_expiry(measure) is not None:
        _check_dates(effective_on, current_expiry(measure))
    if "issuing_authority" in values:
        measure.issuing_authority = checklist.text(
            values["issuing_authority"], 300, "issuing_authority", required=True
        )
    if "order_reference" in values:
        measure.order_reference = checklist.text(
            values["order_reference"], 100, "order_reference"
        )
    if "longest_duration_days" in values:
        days = values["longest_duration_days"]
        if days is not None and not 1 <= days <= 36_500:
            raise checklist.refuse("longest_duration_days", N_("Between 1 and 36500 days."))
        measure.longest_duration_days = days
    if "next_review_on" in values:
        measure.next_review_on = values["next_review_on"]
    measure.effective_on, measure.expires_on = effective_on, expires_on
    changes = {
        name: (
            value.isoformat() if isinstance(value, date) else None if value is None else str(value)
        )
        for name, value in values.items()
        if name in {"effective_on", "expires_on", "next_review_on", "longest_duration_days"}
    }
    _event(measure, "updated", actor, now, changes)
    _hold_assets(measure, actor, now)
    db.session.flush()
    audit.record(
        actor, "measure.updated", "measure", measure.id, {"fields": sorted(values)}, at=now
    )
    return measure


def extend_measure(
    actor: User,
    measure_id: int,
    *,
    new_expires_on: date,
    asked_by_state: str | None = None,
    note: str = "",
    now: datetime,
) -> MeasureExtension:
    """Record an extension; the new expiry must come after the current one (never shorten)."""
    measure, scope = _writable_measure(actor, measure_id)
    current = current_expiry(measure)
    status = measure_status(measure, now)
    if status == "requested":
        raise Conflict(
            N_("This order is not in force yet; correct its dates instead of extending it."),
            {"new_expires_on": [N_("The order is not in force yet.")]},
        )
    if current is None:
        raise checklist.refuse("new_expires_on", N_("This order has no expiry date to extend."))
    if status == "lapsed":
        raise MeasureAlreadyLapsed(
            N_("This order lapsed at the end of %(day)s; record a new order instead."),
            {"new_expires_on": [N_("The order has already lapsed.")]},
            day=current.isoformat(),
        )
    if new_expires_on <= current:
        raise checklist.refuse(
            "new_expires_on",
            N_("An extension must lengthen the order: choose a date after %(current)s."),
            N_("An extension must lengthen the order: choose a date after %(current)s."),
            current=current.isoformat(),
        )
    asker = checklist.state_code(asked_by_state or actor.state_code, "asked_by_state")
    if asker not in {scope.case.requesting_state, measure.requested_state}:
        raise checklist.refuse("asked_by_state", N_("Choose one of the two States of this order."))
    extension = MeasureExtension(
        measure_id=measure.id,
        previous_expires_on=current,
        new_expires_on=new_expires_on,
        asked_by_state=asker,
        note=checklist.text(note, 500, "note"),
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    db.session.add(extension)
    measure.extensions.append(extension)
    db.session.flush()
    _event(
        measure,
        "extended",
        actor,
        now,
        {"from": current.isoformat(), "to": new_expires_on.isoformat(), "asked_by": asker},
    )
    db.session.flush()
    audit.record(
        actor,
        "measure.extended",
        "measure",
        measure.id,
        {"from": current.isoformat(), "to": new_expires_on.isoformat(), "asked_by": asker},
        at=now,
    )
    return extension


def _release_assets(measure: ProvisionalMeasure, actor: User, now: datetime) -> None:
    """Assets no other open order holds go back to "released"."""
    for asset in measure.assets:
        if asset.status != "frozen_or_seized":
            continue
        others = [
            each
            for each in db.session.scalars(
                select(ProvisionalMeasure).where(
                    ProvisionalMeasure.assets.any(Asset.id == asset.id),
                    ProvisionalMeasure.id != measure.id,
                )
            )
            if is_open(each) and measure_status(each, now) in {"in_force", "extended"}
        ]
        if not others:
            _asset_step(asset, "released", actor, now, f"Order {measure.id} lifted.", measure.id)


def lift_measure(actor: User, measure_id: int, *, reason: str, now: datetime) -> ProvisionalMeasure:
    """Record that the order was lifted, and why; assets no other order holds are released."""
    measure, _scope = _writable_measure(actor, measure_id)
    text = checklist.text(reason, MAX_TEXT, "reason", required=True)
    measure.lifted_at = now
    measure.lifted_by_id = actor.id
    measure.lifted_reason = text
    _event(measure, "lifted", actor, now)
    _release_assets(measure, actor, now)
    db.session.flush()
    audit.record(actor, "measure.lifted", "measure", measure.id, at=now)
    return measure


def replace_with_confiscation(
    actor: User,
    measure_id: int,
    *,
    confiscation_reference: str = "",
    confiscated_on: date | None = None,
    now: datetime,
) -> ProvisionalMeasure:
    """The order gives way to a confiscation order; the assets it covered are confiscated."""
    measure, _scope = _writable_measure(actor, measure_id)
    measure.replaced_at = now
    measure.replaced_by_id = actor.id
    measure.confiscation_reference = checklist.text(
        confiscation_reference, 100, "confiscation_reference"
    )
    measure.confiscated_on = confiscated_on
    _event(
        measure,
        "replaced",
        actor,
        now,
        {"confiscated_on": confiscated_on.isoformat() if confiscated_on else None},
    )
    for asset in measure.assets:
        if asset.status in {"identified", "frozen_or_seized", "released"}:
            _asset_step(
                asset,
                "confiscated",
                actor,
                now,
                f"Order {measure.id} replaced by confiscation.",
                measure.id,
            )
    db.session.flush()
    audit.record(actor, "measure.replaced", "measure", measure.id, at=now)
    return measure


def record_consultation(
    actor: User,
    measure_id: int,
    *,
    invited_on: date,
    deadline_on: date,
    representations_received_on: date | None = None,
    representations: str = "",
    decision: str = "pending",
    now: datetime,
) -> Consultation:
    """Record the art. 55(8) invitation to give reasons for keeping the order before lifting it."""
    measure, _scope = _writable_measure(actor, measure_id)
    if deadline_on < invited_on:
        raise checklist.refuse("deadline_on", N_("The deadline cannot be before the invitation."))
    if representations_received_on is not None and representations_received_on < invited_on:
        raise checklist.refuse(
            "representations_received_on", N_("Representations cannot precede the invitation.")
        )
    consultation = Consultation(
        measure_id=measure.id,
        invited_on=invited_on,
        deadline_on=deadline_on,
        representations_received_on=representations_received_on,
        decision=checklist.choice(decision, CONSULTATION_DECISIONS, "decision"),
        recorded_by_id=actor.id,
        recorded_at=now,
        representations=checklist.text(representations, MAX_TEXT, "representations"),
    )
    db.session.add(consultation)
    db.session.flush()
    _event(
        measure,
        "consultation",
        actor,
        now,
        {"deadline_on": deadline_on.isoformat(), "decision": consultation.decision},
    )
    db.session.flush()
    audit.record(
        actor,
        "measure.consultation_recorded",
        "measure",
        measure.id,
        {"consultation": consultation.id, "decision": consultation.decision},
        at=now,
    )
    return consultation


def update_consultation(
    actor: User,
    consultation_id: int,
    *,
    representations_received_on: date | None = None,
    representations: str | None = None,
    decision: str | None = None,
    measure_id: int | None = None,
    now: datetime,
) -> Consultation:
    """Note the representations received and the decision taken on them."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or measure_id not in (None, consultation.measure_id):
        raise NotFound(N_("No such consultation."))
    try:
        measure, _scope = _writable_measure(actor, consultation.measure_id)
    except NotFound:
        raise NotFound(N_("No such consultation.")) from None
    if representations_received_on is not None:
        if representations_received_on < consultation.invited_on:
            raise checklist.refuse(
                "representations_received_on", N_("Representations cannot precede the invitation.")
            )
        consultation.representations_received_on = representations_received_on
    if representations is not None:
        consultation.representations = checklist.text(
            representations, MAX_TEXT, "representations"
        )
    if decision is not None:
        consultation.decision = checklist.choice(decision, CONSULTATION_DECISIONS, "decision")
    _event(measure, "consultation_updated", actor, now, {"decision": consultation.decision})
    db.session.flush()
    audit.record(
        actor,
        "measure.consultation_updated",
        "measure",
        measure.id,
        {"consultation": consultation.id, "decision": consultation.decision},
        at=now,
    )
    return consultation


def _measure_view(measure: ProvisionalMeasure, now: datetime, *, detailed: bool) -> MeasureView:
    sealed = Opened(measure)
    view = MeasureView(
        id=measure.id,
        case_id=measure.case_id,
        requested_state=measure.requested_state,
        request_id=measure.request_id,
        kind=measure.kind,
        issuing_authority=sealed[ProvisionalMeasure.issuing_authority],
        issuing_state=measure.issuing_state,
        issuing_time_zone=issuing_zone(measure).key,
        legal_basis=measure.legal_basis,
        enforcement=measure.enforcement,
        order_reference=sealed[ProvisionalMeasure.order_reference],
        effective_on=measure.effective_on,
        expires_on=measure.expires_on,
        current_expires_on=current_expiry(measure),
        expires_at=expires_at(measure),
        longest_duration_days=measure.longest_duration_days,
        next_review_on=measure.next_review_on,
        status=measure_status(measure, now),
        asset_ids=[each.id for each in measure.assets],
        extension_count=len(measure.extensions),
        lifted_at=measure.lifted_at,
        lifted_reason=sealed[ProvisionalMeasure.lifted_reason],
        replaced_at=measure.replaced_at,
        confiscation_reference=measure.confiscation_reference,
        confiscated_on=measure.confiscated_on,
        recorded_by=person_of(measure.recorded_by),
        recorded_at=measure.recorded_at,
        integrity=sealed.integrity,
    )
    if not detailed:
        return view
    view.extensions = [
        ExtensionView(
            id=each.id,
            previous_expires_on=each.previous_expires_on,
            new_expires_on=each.new_expires_on,
            asked_by_state=each.asked_by_state,
            note=each.note,
            recorded_by=person_of(each.recorded_by),
            recorded_at=each.recorded_at,
        )
        for each in measure.extensions
    ]
    events = db.session.scalars(
        select(MeasureEvent)
        .where(MeasureEvent.measure_id == measure.id)
        .order_by(MeasureEvent.at, MeasureEvent.id)
    )
    view.history = [
        MeasureEventView(each.event, dict(each.details or {}), person_of(each.actor), each.at)
        for each in events
    ]
    consultations = db.session.scalars(
        select(Consultation).where(Consultation.measure_id == measure.id).order_by(Consultation.id)
    )
    view.consultations = [_consultation_view(each) for each in consultations]
    return view


def _consultation_view(consultation: Consultation) -> ConsultationView:
    sealed = Opened(consultation)
    return ConsultationView(
        id=consultation.id,
        invited_on=consultation.invited_on,
        deadline_on=consultation.deadline_on,
        representations_received_on=consultation.representations_received_on,
        representations=sealed[Consultation.representations],
        decision=consultation.decision,
        recorded_by=person_of(consultation.recorded_by),
        recorded_at=consultation.recorded_at,
        integrity=sealed.integrity,
    )


def measure_view(actor: User, measure_id: int, now: datetime) -> MeasureView:
    """One measure with its derived status, extensions, consultations and history; audited."""
    measure, _scope = access_measure(actor, measure_id)
    audit.record(actor, "measure.viewed", "measure", measure.id, at=now)
    return _measure_view(measure, now, detailed=True)


def measure_summaries(measures: Iterable[ProvisionalMeasure], now: datetime) -> list[MeasureView]:
    """Views (derived status, expiry instant) of measures the caller already obtained."""
    return [_measure_view(each, now, detailed=False) for each in measures]


def list_measures(actor: User, case_id: int) -> list[ProvisionalMeasure]:
    """The case's measures the actor's sides see, oldest first."""
    scope = case_scope(actor, case_id)
    return list(
        db.session.scalars(
            select(ProvisionalMeasure)
            .where(
                ProvisionalMeasure.case_id == scope.case.id,
                ProvisionalMeasure.requested_state.in_(sorted(scope.visible)),
            )
            .order_by(ProvisionalMeasure.id)
        )
    )


def open_measures(actor: User) -> list[ProvisionalMeasure]:
    """Every measure neither lifted nor replaced in the actor's cases and sides (lapsed too)."""
    scopes = my_scopes(actor)
    if not scopes:
        return []
    rows = db.session.scalars(
        select(ProvisionalMeasure)
        .where(
            ProvisionalMeasure.case_id.in_(list(scopes)),
            ProvisionalMeasure.lifted_at.is_(None),
            ProvisionalMeasure.replaced_at.is_(None),
        )
        .options(selectinload(ProvisionalMeasure.extensions))  # the expiry in force, for lists
        .order_by(ProvisionalMeasure.id)
    ).all()
    return [each for each in rows if each.requested_state in scopes[each.case_id]]


def open_measures_everywhere() -> list[ProvisionalMeasure]:
    """Every measure neither lifted nor replaced, for the deadline engine (no actor)."""
    return list(
        db.session.scalars(
            select(ProvisionalMeasure)
            .where(ProvisionalMeasure.lifted_at.is_(None), ProvisionalMeasure.replaced_at.is_(None))
            .options(selectinload(ProvisionalMeasure.extensions))
            .order_by(ProvisionalMeasure.id)
        )
    )
