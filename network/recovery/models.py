"""Recovery tables: subjects, assets and their status history and returns, provisional measures.

Identifying fields (names, identifiers, third-party interests, reasons) are
sealed with the case's data key. A measure's lapse is never stored: it follows
from its expiry date, its extensions and the issuing State's time zone.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator, TypeEngine

from network.assistance.models import REQUEST_CASE_KEY
from network.auth.models import User
from network.cases.models import CASE_KEY
from network.core.types import UTCDateTime
from network.directory.models import State
from network.extensions import Model, db
from network.sealing.fields import sealed_json, sealed_text


class Money(TypeDecorator[Decimal]):
    """A Decimal amount: NUMERIC(20, 4) on PostgreSQL, exact text on SQLite (whose NUMERIC is
    a float). Up to 16 whole digits and 4 decimal places: ISO 4217 minor units never exceed 4."""

    impl = Numeric(20, 4, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(Numeric(20, 4, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = Decimal(value).quantize(Decimal("0.0001"))
        return str(amount) if dialect.name == "sqlite" else amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value)).quantize(Decimal("0.0001"))


MONEY = Money()


class Subject(Model):
    """A natural or legal person of the case: suspect, beneficial owner, nominee, PEP ...

    ``identity_sealed`` holds a JSON object with ``names``, ``transliterations``
    and ``identifiers`` (passport, register number, date of birth ...).
    """

    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # The relationship of the case (one requested State) this record is shared in.
    requested_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    kind: Mapped[str] = mapped_column(String(16))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    nationality: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    identity_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    identity = sealed_json(CASE_KEY)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    recorded_by: Mapped[User] = relationship()


measure_assets = Table(
    "measure_assets",
    db.metadata,
    Column(
        "measure_id",
        ForeignKey("provisional_measures.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("asset_id", ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
)


class Asset(Model):
    """Property of the case: where it is, who holds it, what it is worth, where it stands."""

    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    requested_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    kind: Mapped[str] = mapped_column(String(24))
    location_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"), index=True)
    estimated_value: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str | None] = mapped_column(String(3))
    # JSON {"description", "identifiers": {...}, "third_party_interests"}; 55(9) interests included.
    details_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    details = sealed_json(CASE_KEY)
    status: Mapped[str] = mapped_column(String(24), index=True)
    status_since: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Counts the record's changes; an edit names the version it was made from (ETag, forms).
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)

    holder: Mapped[Subject | None] = relationship()
    recorded_by: Mapped[User] = relationship()


class AssetHolding(Model):
    """Who holds an asset and how: directly, as beneficial owner through a company, or as a
    family member or close associate of a politically exposed person (``via`` names the
    company or the PEP). This table is the one record of holdings; ``Asset.holder_id`` names
    the primary holder, which always has its own (direct) row here.
    """

    __tablename__ = "asset_holdings"
    __table_args__ = (UniqueConstraint("asset_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subjects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    via_subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("subjects.id", ondelete="CASCADE"), index=True
    )
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MatchKey(Model):
    """A keyed digest of a subject's name, birth date or identifier, or of an account's IBAN.

    Keyed per State (``sealing.keystore.match_key``), so the same name gives unrelated
    digests for two States: a State's members are told of its own other cases only. Nothing
    here can be read back into a name.
    """

    __tablename__ = "match_keys"
    __table_args__ = (Index("ix_match_keys_state_digest", "state", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    kind: Mapped[str] = mapped_column(String(16))  # name, name_birth, identifier, iban
    digest: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("subjects.id", ondelete="CASCADE"), index=True
    )
    asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), index=True
    )


class AssetStatusChange(Model):
    """One step of an asset's status history: who, when, why (reason sealed)."""

    __tablename__ = "asset_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    reason_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    reason = sealed_text(CASE_KEY.via("asset_id", Asset))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("provisional_measures.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    actor: Mapped[User] = relationship()


class AssetReturn(Model):
    """A return of confiscated property under article 57."""

    __tablename__ = "asset_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    basis: Mapped[str] = mapped_column(String(16))  # 57_3_a, 57_3_b, 57_3_c
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    expenses_deducted: Mapped[Decimal] = mapped_column(MONEY)  # 57(4)
    agreement_reference: Mapped[str] = mapped_column(String(200), default="")  # 57(5)
    disbursed_on: Mapped[date | None] = mapped_column(Date())
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    recorded_by: Mapped[User] = relationship()


class ProvisionalMeasure(Model):
    """A freezing or seizure order over one or more assets.

    ``effective_on`` and ``expires_on`` are calendar dates in the issuing State's
    time zone; the current expiry is that of the latest extension. Lifting and
    replacement are stored; being in force, extended or lapsed is derived
    (``recovery.expiry.measure_status``).
    """

    __tablename__ = "provisional_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    requested_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("assistance_requests.id"))
    kind: Mapped[str] = mapped_column(String(16))  # freezing, seizure
    # The court or office that issued the order and its file number point at the proceedings:
    # sealed with the case's data key, like the other identifying fields.
    issuing_authority_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    issuing_authority = sealed_text(CASE_KEY)
    issuing_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    legal_basis: Mapped[str] = mapped_column(String(16))  # 54_2_a, 54_2_b, 54_2_c, domestic
    enforcement: Mapped[str] = mapped_column(String(16))  # direct, indirect
    order_reference_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    order_reference = sealed_text(CASE_KEY)
    effective_on: Mapped[date | None] = mapped_column(Date())
    expires_on: Mapped[date | None] = mapped_column(Date())
    longest_duration_days: Mapped[int | None]
    next_review_on: Mapped[date | None] = mapped_column(Date())
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lifted_reason_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    lifted_reason = sealed_text(CASE_KEY)
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confiscation_reference: Mapped[str] = mapped_column(String(100), default="")
    confiscated_on: Mapped[date | None] = mapped_column(Date())
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Counts the record's changes; an edit names the version it was made from (ETag, forms).
    version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)

    assets: Mapped[list[Asset]] = relationship(secondary=measure_assets, order_by=Asset.id)
    extensions: Mapped[list[MeasureExtension]] = relationship(
        order_by="MeasureExtension.id", back_populates="measure"
    )
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    # Loaded with the order: its dates are read in this State's time zone on every list.
    issuer: Mapped[State] = relationship(foreign_keys=[issuing_state], lazy="selectin")


class MeasureExtension(Model):
    """An extension of a measure: the new expiry date and which State asked for it."""

    __tablename__ = "measure_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("provisional_measures.id", ondelete="CASCADE"), index=True
    )
    previous_expires_on: Mapped[date | None] = mapped_column(Date())
    new_expires_on: Mapped[date] = mapped_column(Date())
    asked_by_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    measure: Mapped[ProvisionalMeasure] = relationship(back_populates="extensions")
    recorded_by: Mapped[User] = relationship()


class MeasureEvent(Model):
    """One line of a measure's history (recorded, edited, extended, consulted, lifted, replaced)."""

    __tablename__ = "measure_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("provisional_measures.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(32))
    # Non-sensitive facts only (dates, codes); reasons live sealed on their own rows.
    details: Mapped[dict[str, str | None]] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    actor: Mapped[User] = relationship()


class Consultation(Model):
    """The art. 55(8) consultation before lifting: invited, deadline, representations, decision."""

    __tablename__ = "measure_consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("provisional_measures.id", ondelete="CASCADE"), index=True
    )
    invited_on: Mapped[date] = mapped_column(Date())
    deadline_on: Mapped[date] = mapped_column(Date())
    representations_received_on: Mapped[date | None] = mapped_column(Date())
    representations_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    representations = sealed_text(CASE_KEY.via("measure_id", ProvisionalMeasure))
    decision: Mapped[str] = mapped_column(String(16), default="pending")  # pending, keep, lift
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    recorded_by: Mapped[User] = relationship()


class RecognitionStepRecord(Model):
    """One step the requested State's courts took on a foreign order (art. 54(1), 55(1)(b)).

    Tied to a request of kind recognition; the steps follow ``recovery/recognition.py``'s
    order. The grounds of a refusal and any note are sealed with the case's data key.
    """

    __tablename__ = "recognition_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_requests.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[date] = mapped_column(Date())
    hearing_on: Mapped[date | None] = mapped_column(Date())
    appeal_until: Mapped[date | None] = mapped_column(Date())
    grounds_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    grounds = sealed_text(REQUEST_CASE_KEY)
    note_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    note = sealed_text(REQUEST_CASE_KEY)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    actor: Mapped[User] = relationship()


class Confiscation(Model):
    """A confiscation order (54(1), 55(1)): its reference, date, finality and what it took.

    An order under appeal is not final yet; ``final_on`` is the day it became final, which
    a return under article 57 rests on.
    """

    __tablename__ = "confiscations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    requested_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    # The order the confiscation replaced, when it followed a freezing or seizure order.
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("provisional_measures.id"))
    order_reference_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    order_reference = sealed_text(CASE_KEY)
    ordered_on: Mapped[date] = mapped_column(Date())
    finality: Mapped[str] = mapped_column(String(16))  # final, under_appeal
    final_on: Mapped[date | None] = mapped_column(Date())
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    lines: Mapped[list[ConfiscatedAsset]] = relationship(order_by="ConfiscatedAsset.id")
    recorded_by: Mapped[User] = relationship()


class ConfiscatedAsset(Model):
    """One asset a confiscation order took, and the amount confiscated from it."""

    __tablename__ = "confiscated_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    confiscation_id: Mapped[int] = mapped_column(
        ForeignKey("confiscations.id", ondelete="CASCADE"), index=True
    )
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))


class CaseReturn(Model):
    """A return under article 57 of confiscated assets, agreed case by case (57(5)).

    The arrangement's steps are dates (draft shared for comment, terms agreed, signed);
    its terms are sealed. Expenses (57(4)), transfers, beneficiaries and victims'
    compensation (57(3)(c)) are lines; follow-up milestones are deadlines of both sides.
    """

    __tablename__ = "case_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    requested_state: Mapped[str] = mapped_column(ForeignKey("states.code"))
    confiscation_id: Mapped[int] = mapped_column(ForeignKey("confiscations.id"), index=True)
    basis: Mapped[str] = mapped_column(String(16))  # 57_3_a, 57_3_b, 57_3_c
    arrangement: Mapped[str] = mapped_column(String(16))  # agreement, arrangement, case_by_case
    draft_shared_on: Mapped[date | None] = mapped_column(Date())
    terms_agreed_on: Mapped[date | None] = mapped_column(Date())
    signed_on: Mapped[date | None] = mapped_column(Date())
    terms_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    terms = sealed_text(CASE_KEY)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    confiscation: Mapped[Confiscation] = relationship()
    lines: Mapped[list[ReturnLine]] = relationship(order_by="ReturnLine.id")
    milestones: Mapped[list[ReturnMilestone]] = relationship(order_by="ReturnMilestone.due_on")
    recorded_by: Mapped[User] = relationship()


class ReturnLine(Model):
    """One line of a return: an expense deducted (57(4)), a transfer, a beneficiary and its
    purpose, or a victim's compensation (57(3)(c)). Who and what are sealed."""

    __tablename__ = "return_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("case_returns.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # expense, transfer, beneficiary, compensation
    # The expense's description, the beneficiary, or the victim compensated.
    label_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    label = sealed_text(CASE_KEY.via("return_id", CaseReturn))
    # A beneficiary's purpose (what the returned funds are for).
    purpose_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    purpose = sealed_text(CASE_KEY.via("return_id", CaseReturn))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str | None] = mapped_column(String(3))
    on: Mapped[date | None] = mapped_column(Date())  # the day a transfer was made
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReturnMilestone(Model):
    """A follow-up step the parties agreed (a report on the use of funds ...), with its date."""

    __tablename__ = "return_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("case_returns.id", ondelete="CASCADE"), index=True
    )
    description_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    description = sealed_text(CASE_KEY.via("return_id", CaseReturn))
    due_on: Mapped[date] = mapped_column(Date(), index=True)
    done_on: Mapped[date | None] = mapped_column(Date())
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
class ChannelShare(Model):
    """A subject or an asset its owner side shared into a multilateral channel, explicitly.

    Exactly one of ``subject_id`` and ``asset_id`` is set. Withdrawing deletes the row (the
    audit keeps who shared and who withdrew it); nothing bilateral reaches a table otherwise.
    """

    __tablename__ = "channel_shares"
    __table_args__ = (
        UniqueConstraint("channel_id", "subject_id", name="uq_channel_shares_subject"),
        UniqueConstraint("channel_id", "asset_id", name="uq_channel_shares_asset"),
        CheckConstraint("(subject_id IS NULL) <> (asset_id IS NULL)", name="one_record"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"))
    shared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime())

    shared_by: Mapped[User] = relationship()
