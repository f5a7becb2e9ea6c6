"""The recovery read models: what the services return, dumped by the schemas/recovery.py schemas.

Sealed fields are opened here, once, with their integrity; a view never
serialises itself (the edges dump it with the matching schema).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from network.cases.access import PersonRef, person_of
from network.extensions import db
from network.recovery import expiry
from network.recovery.asset_lifecycle import offered_statuses
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
from network.sealing.integrity import OK, Opened


@dataclass(frozen=True)
class SubjectView:
    """A subject with its names and identifiers opened; dumped by ``SubjectSchema``."""

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
    """One step of an asset's status history; dumped by ``AssetStepSchema``."""

    from_status: str | None
    to_status: str
    reason: str | None
    measure_id: int | None
    actor: PersonRef | None
    at: datetime
    integrity: str = OK


@dataclass(frozen=True)
class ReturnView:
    """One art. 57 return with its net amount; dumped by ``ReturnSchema``."""

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
    """An asset and the statuses it may take next; dumped by ``AssetSchema``.

    The detail (measures, history, returns), dumped by ``AssetDetailSchema``, is
    filled only when one asset is read.
    """

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
    # The record's version: the API's ETag, the edit form's hidden field.
    version: int
    measure_ids: list[int] = field(default_factory=list)
    history: list[AssetStepView] = field(default_factory=list)
    returns: list[ReturnView] = field(default_factory=list)
    integrity: str = OK


@dataclass(frozen=True)
class ExtensionView:
    """One extension of an order; dumped by ``ExtensionSchema``."""

    id: int
    previous_expires_on: date | None
    new_expires_on: date
    asked_by_state: str
    note: str
    recorded_by: PersonRef | None
    recorded_at: datetime


@dataclass(frozen=True)
class MeasureEventView:
    """One line of an order's history; dumped by ``MeasureEventSchema``."""

    event: str
    details: dict[str, str | None]
    actor: PersonRef | None
    at: datetime


@dataclass(frozen=True)
class ConsultationView:
    """One art. 55(8) consultation; dumped by ``ConsultationSchema``."""

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
    """An order with its derived status, its expiry instant and the issuing State's time zone.

    Dumped by ``MeasureSchema``; the detail (extensions, history, consultations) by
    ``MeasureDetailSchema``, only for one order.
    """

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
    # The record's version: the API's ETag, the edit form's hidden field.
    version: int
    extensions: list[ExtensionView] = field(default_factory=list)
    history: list[MeasureEventView] = field(default_factory=list)
    consultations: list[ConsultationView] = field(default_factory=list)
    integrity: str = OK


# --- building views from rows -----------------------------------------------------------------


def read_subject(subject: Subject) -> SubjectView:
    """A subject's view, its sealed identity opened."""
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


def read_asset(asset: Asset, *, detailed: bool) -> AssetView:
    """An asset's view; ``detailed`` adds its measures, status history and returns."""
    sealed = Opened(asset)
    details = sealed[Asset.details] or {}
    holder_name = None
    if asset.holder is not None:
        names = read_subject(asset.holder).names
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
        allowed_statuses=offered_statuses(asset.status),
        recorded_by=person_of(asset.recorded_by),
        recorded_at=asset.recorded_at,
        version=asset.version,
        integrity=sealed.integrity,
    )
    if detailed:
        _add_asset_details(view)
    return view


def _add_asset_details(view: AssetView) -> None:
    view.measure_ids = [
        each.id
        for each in db.session.scalars(
            select(ProvisionalMeasure)
            .where(ProvisionalMeasure.assets.any(Asset.id == view.id))
            .order_by(ProvisionalMeasure.id)
        )
    ]
    steps = db.session.scalars(
        select(AssetStatusChange)
        .where(AssetStatusChange.asset_id == view.id)
        .order_by(AssetStatusChange.at, AssetStatusChange.id)
    )
    view.history = [_read_step(step) for step in steps]
    returns = db.session.scalars(
        select(AssetReturn).where(AssetReturn.asset_id == view.id).order_by(AssetReturn.id)
    )
    view.returns = [_read_return(each) for each in returns]


def _read_step(step: AssetStatusChange) -> AssetStepView:
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


def _read_return(row: AssetReturn) -> ReturnView:
    return ReturnView(
        id=row.id,
        basis=row.basis,
        amount=row.amount,
        currency=row.currency,
        expenses_deducted=row.expenses_deducted,
        net_amount=row.amount - row.expenses_deducted,
        agreement_reference=row.agreement_reference,
        disbursed_on=row.disbursed_on,
        recorded_by=person_of(row.recorded_by),
        recorded_at=row.recorded_at,
    )


def read_measure(measure: ProvisionalMeasure, now: datetime, *, detailed: bool) -> MeasureView:
    """An order's view as of ``now``; ``detailed`` adds extensions, history and consultations."""
    sealed = Opened(measure)
    view = MeasureView(
        id=measure.id,
        case_id=measure.case_id,
        requested_state=measure.requested_state,
        request_id=measure.request_id,
        kind=measure.kind,
        issuing_authority=sealed[ProvisionalMeasure.issuing_authority],
        issuing_state=measure.issuing_state,
        issuing_time_zone=expiry.issuing_zone(measure).key,
        legal_basis=measure.legal_basis,
        enforcement=measure.enforcement,
        order_reference=sealed[ProvisionalMeasure.order_reference],
        effective_on=measure.effective_on,
        expires_on=measure.expires_on,
        current_expires_on=expiry.current_expiry(measure),
        expires_at=expiry.expires_at(measure),
        longest_duration_days=measure.longest_duration_days,
        next_review_on=measure.next_review_on,
        status=expiry.measure_status(measure, now),
        asset_ids=[each.id for each in measure.assets],
        extension_count=len(measure.extensions),
        lifted_at=measure.lifted_at,
        lifted_reason=sealed[ProvisionalMeasure.lifted_reason],
        replaced_at=measure.replaced_at,
        confiscation_reference=measure.confiscation_reference,
        confiscated_on=measure.confiscated_on,
        recorded_by=person_of(measure.recorded_by),
        recorded_at=measure.recorded_at,
        version=measure.version,
        integrity=sealed.integrity,
    )
    if detailed:
        _add_measure_details(view, measure)
    return view


def _add_measure_details(view: MeasureView, measure: ProvisionalMeasure) -> None:
    view.extensions = [_read_extension(each) for each in measure.extensions]
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
    view.consultations = [_read_consultation(each) for each in consultations]


def _read_extension(extension: MeasureExtension) -> ExtensionView:
    return ExtensionView(
        id=extension.id,
        previous_expires_on=extension.previous_expires_on,
        new_expires_on=extension.new_expires_on,
        asked_by_state=extension.asked_by_state,
        note=extension.note,
        recorded_by=person_of(extension.recorded_by),
        recorded_at=extension.recorded_at,
    )


def _read_consultation(consultation: Consultation) -> ConsultationView:
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
