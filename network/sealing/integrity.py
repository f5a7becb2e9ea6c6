"""Sealed values that fail their integrity check: flagged when read, named by ``verify-integrity``.

A flipped bit in one stored message must not hide the rest of the conversation:
``SealedRecord`` opens a record's fields for display, logs a failure with its
table, row and field (never content) and flags the record ``integrity == FAILED``;
everything else is still served.

``verify`` opens every sealed value of every table once. One declaration per
sealed column says where its data key comes from and which place (table, row,
field) its ciphertext is bound to, the same associated data the services use. A
test checks that every ``*_sealed`` column is declared here.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Row, ScalarSelect, select
from sqlalchemy.orm import QueryableAttribute

from network.assistance.models import (
    AssistanceRequest,
    DelayNotice,
    RequestTransition,
    StatusEnquiry,
)
from network.auth.models import User
from network.cases.models import Case, SeatChange, StageChange
from network.crypto import CryptoError, open_sealed, record_aad
from network.crypto.errors import DecryptionFailed, UnsupportedScheme
from network.disclosures.models import Disclosure, DisclosureEvent
from network.extensions import db
from network.messages import storage
from network.messages.models import Attachment, Message, body_aad, file_aad, name_aad
from network.recovery.models import (
    Asset,
    AssetStatusChange,
    Consultation,
    ProvisionalMeasure,
    Subject,
)
from network.sealing import keystore
from network.sealing.models import DataKey

OK = "ok"
FAILED = "failed"
INTEGRITY_STATES = (OK, FAILED)

# What a damaged value raises: authentication fails, the scheme byte is unknown, or (for a
# value that authenticates but was written wrongly) its text or JSON does not decode.
UNREADABLE = (DecryptionFailed, UnsupportedScheme, ValueError)

log = logging.getLogger("network.integrity")

T = TypeVar("T")

BATCH = 500
# A row of the scan: id, sealed value, data key id, and the columns its place needs.
SealedRow = Row[*tuple[Any, ...]]
# A column of the row itself, of a joined row, or a scalar subquery (the accounts key).
Expression = ColumnElement[Any] | QueryableAttribute[Any] | ScalarSelect[Any]


class SealedRecord:
    """Opens the sealed fields of one stored record; a field that fails comes back as None."""

    def __init__(self, table: str, row_id: int | str) -> None:
        self.table = table
        self.row_id = row_id
        self.failed: list[str] = []

    def open(self, field: str, opening: Callable[[], T]) -> T | None:
        """The opened value, or None (logged, and the record flagged) when it fails its check."""
        try:
            return opening()
        except UNREADABLE as error:
            log.warning(
                "sealed field failed its integrity check: table=%s id=%s field=%s (%s)",
                self.table,
                self.row_id,
                field,
                type(error).__name__,
            )
            self.failed.append(field)
            return None

    @property
    def integrity(self) -> str:
        """``ok`` when every field opened, ``failed`` when any did not."""
        return FAILED if self.failed else OK


@dataclass(frozen=True)
class Failure:
    """One sealed value that did not open: where it is, never what it says."""

    table: str
    row_id: int
    field: str
    reason: str

    def line(self) -> str:
        return f"{self.table} {self.row_id} {self.field}: {self.reason}"


@dataclass
class Report:
    """How many sealed values (and files) opened, and each one that did not."""

    opened: int = 0
    failures: list[Failure] = field(default_factory=list)


@dataclass(frozen=True)
class SealedColumn:
    """A sealed column, the data key of its rows, and the place each value is bound to."""

    model: Any
    field: str
    key_id: Expression
    joins: tuple[Any, ...] = ()
    extra: tuple[Expression, ...] = ()
    # Where a value is bound when it is not (table, row id, field), e.g. a message's (channel, seq).
    place: Callable[[SealedRow], bytes] | None = None

    @property
    def table(self) -> str:
        return str(self.model.__tablename__)

    @property
    def column(self) -> ColumnElement[bytes | None]:
        return getattr(self.model, f"{self.field}_sealed")  # type: ignore[no-any-return]

    def aad(self, row: SealedRow) -> bytes:
        if self.place is not None:
            return self.place(row)
        return record_aad(self.table, row.id, None, None, self.field)


def _message_place(row: SealedRow) -> bytes:
    return body_aad(row.channel_id, row.seq)


def _file_name_place(row: SealedRow) -> bytes:
    return name_aad(row.channel_id, row.stored_name)


_ACCOUNTS_KEY = select(DataKey.id).where(DataKey.label == keystore.ACCOUNTS_LABEL).scalar_subquery()


def _case_scoped(
    model: Any, name: str, parent: Any = None, link: ColumnElement[bool] | None = None
) -> SealedColumn:
    """A field sealed with the data key of the case its row (or its parent row) hangs off."""
    holder = model if parent is None else parent
    via = () if parent is None else ((parent, link),)
    return SealedColumn(
        model, name, Case.data_key_id, joins=(*via, (Case, Case.id == holder.case_id))
    )


_OF_REQUEST = AssistanceRequest  # the parent of enquiries, delays and transitions
SEALED: tuple[SealedColumn, ...] = (
    SealedColumn(Case, "title", Case.data_key_id),
    SealedColumn(Case, "summary", Case.data_key_id),
    _case_scoped(StageChange, "reason"),
    _case_scoped(SeatChange, "reason"),
    SealedColumn(
        Message,
        "body",
        Message.key_id,
        extra=(Message.channel_id, Message.seq),
        place=_message_place,
    ),
    SealedColumn(
        Attachment,
        "name",
        Attachment.key_id,
        extra=(Attachment.channel_id, Attachment.stored_name),
        place=_file_name_place,
    ),
    _case_scoped(AssistanceRequest, "contents"),
    _case_scoped(
        RequestTransition, "reason", _OF_REQUEST, _OF_REQUEST.id == RequestTransition.request_id
    ),
    _case_scoped(
        StatusEnquiry, "question", _OF_REQUEST, _OF_REQUEST.id == StatusEnquiry.request_id
    ),
    _case_scoped(StatusEnquiry, "answer", _OF_REQUEST, _OF_REQUEST.id == StatusEnquiry.request_id),
    _case_scoped(DelayNotice, "reason", _OF_REQUEST, _OF_REQUEST.id == DelayNotice.request_id),
    _case_scoped(Subject, "identity"),
    _case_scoped(Asset, "details"),
    _case_scoped(AssetStatusChange, "reason", Asset, Asset.id == AssetStatusChange.asset_id),
    _case_scoped(ProvisionalMeasure, "issuing_authority"),
    _case_scoped(ProvisionalMeasure, "order_reference"),
    _case_scoped(ProvisionalMeasure, "lifted_reason"),
    _case_scoped(
        Consultation,
        "representations",
        ProvisionalMeasure,
        ProvisionalMeasure.id == Consultation.measure_id,
    ),
    SealedColumn(Disclosure, "body", Disclosure.data_key_id),
    SealedColumn(
        DisclosureEvent,
        "note",
        Disclosure.data_key_id,
        joins=((Disclosure, Disclosure.id == DisclosureEvent.disclosure_id),),
    ),
    SealedColumn(User, "totp_secret", _ACCOUNTS_KEY),
)


class _DataKeys:
    """Data keys unwrapped once each; one that does not unwrap is reported once, as itself."""

    def __init__(self, report: Report) -> None:
        self._report = report
        self._opened: dict[int, bytes | None] = {}

    def get(self, key_id: int | None) -> bytes | None:
        if key_id is None:
            return None
        if key_id not in self._opened:
            self._opened[key_id] = self._unwrap(key_id)
        return self._opened[key_id]

    def _unwrap(self, key_id: int) -> bytes | None:
        row = db.session.get(DataKey, key_id)
        if row is None:
            self._report.failures.append(Failure("data_keys", key_id, "wrapped", "missing"))
            return None
        try:
            return keystore.unwrap(row)
        except CryptoError as error:
            self._report.failures.append(
                Failure("data_keys", key_id, "wrapped", _reason(error))
            )
            return None


def _reason(error: Exception) -> str:
    return {
        "DecryptionFailed": "does not open (altered, moved, or the wrong key)",
        "UnsupportedScheme": "is not sealed with a known scheme",
        "UnknownKeyVersion": "names a key version the keyring does not hold",
        "UnicodeDecodeError": "opens, but is not UTF-8 text",
    }.get(type(error).__name__, type(error).__name__)


def _rows(column: SealedColumn) -> Iterator[SealedRow]:
    """The rows holding a value, in id order, a batch at a time."""
    model = column.model
    query = select(model.id, column.column.label("sealed"), column.key_id.label("key_id"))
    query = query.add_columns(*column.extra).select_from(model)
    for target, onclause in column.joins:
        query = query.join(target, onclause)
    query = query.where(column.column.is_not(None)).order_by(model.id)
    after = 0
    while True:
        batch = db.session.execute(query.where(model.id > after).limit(BATCH)).all()
        if not batch:
            return
        yield from batch
        after = batch[-1].id


def _check_column(column: SealedColumn, data_keys: _DataKeys, report: Report) -> None:
    for row in _rows(column):
        if not row.sealed:
            continue  # an empty value holds nothing (e.g. a field never filled)
        key = data_keys.get(row.key_id)
        if key is None:
            reason = "its data key does not open" if row.key_id else "has no data key"
            report.failures.append(Failure(column.table, row.id, column.field, reason))
            continue
        try:
            open_sealed(key, row.sealed, column.aad(row)).decode("utf-8")
        except (CryptoError, UnicodeDecodeError) as error:
            report.failures.append(Failure(column.table, row.id, column.field, _reason(error)))
            continue
        report.opened += 1


def _check_files(directory: Path, data_keys: _DataKeys, report: Report) -> None:
    """Stream every attachment through decryption: each segment authenticated, size and hash."""
    for attachment in db.session.scalars(select(Attachment).order_by(Attachment.id)):
        key = data_keys.get(attachment.key_id)
        if key is None:
            continue  # already reported with the file's name
        place = file_aad(attachment.channel_id, attachment.stored_name)
        digest, size = hashlib.sha256(), 0
        try:
            for chunk in storage.read_decrypted(directory, attachment.stored_name, key, place):
                digest.update(chunk)
                size += len(chunk)
        except FileNotFoundError:
            reason = "the file is missing"
        except CryptoError as error:
            reason = _reason(error)
        else:
            if (size, digest.hexdigest()) == (attachment.size, attachment.sha256):
                report.opened += 1
                continue
            reason = "opens, but its size or SHA-256 differs from the record"
        report.failures.append(Failure("attachments", attachment.id, "content", reason))


def verify(directory: Path | None) -> Report:
    """Open every sealed value (and, given the attachment directory, every file); name failures."""
    report = Report()
    data_keys = _DataKeys(report)
    for column in SEALED:
        _check_column(column, data_keys, report)
    if directory is not None:
        _check_files(directory, data_keys, report)
    return report
