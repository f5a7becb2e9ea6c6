"""Subjects and assets shared into a multilateral channel, explicitly, by their owner side.

A subject or an asset belongs to one bilateral relationship of its case; nothing
of it reaches a multilateral table by itself. The side that recorded it (the
State of its recorder) may share it into a table it sits at, and withdraw it;
whoever sits at the table then reads it there. Every read and write goes through
``access_channel`` (no seat at the table, no shares) and the record's own access
check. Functions take the acting user, plain values and ``now``, audit, flush,
and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from network.audit import service as audit
from network.auth.models import User
from network.cases.access import PersonRef, access_channel, person_of, require_party
from network.cases.models import Channel
from network.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from network.core.i18n import N_
from network.extensions import db
from network.recovery.assets import access_asset
from network.recovery.models import Asset, ChannelShare, Subject
from network.recovery.read_models import AssetView, SubjectView, read_asset, read_subject
from network.recovery.subjects import access_subject
from network.schemas.vocabularies import ChannelKind


@dataclass(frozen=True)
class ShareView:
    """One record shared at a table, opened for those seated there."""

    id: int
    channel_id: int
    subject: SubjectView | None
    asset: AssetView | None
    shared_by: PersonRef | None
    shared_at: datetime


def _table(actor: User, channel_id: int) -> Channel:
    """A multilateral channel the actor sits at; a bilateral one holds no shares."""
    channel = access_channel(actor, channel_id)
    if channel.kind != ChannelKind.MULTILATERAL.value:
        raise Conflict(N_("Records are shared into a multilateral channel only."))
    return channel


def _owned(
    actor: User, channel: Channel, subject_id: int | None, asset_id: int | None
) -> Subject | Asset:
    """The record named, if the actor's side recorded it and it belongs to the table's case."""
    if (subject_id is None) == (asset_id is None):
        raise InvalidInput(
            N_("Some values are not valid."),
            {"_schema": [N_("Name either a subject or an asset.")]},
        )
    record: Subject | Asset
    if subject_id is not None:
        record, scope = access_subject(actor, subject_id)
    else:
        assert asset_id is not None  # noqa: S101 - checked above
        record, scope = access_asset(actor, asset_id)
    if record.case_id != channel.case_id:
        raise InvalidInput(
            N_("Some values are not valid."),
            {"_schema": [N_("Choose a record of this channel's case.")]},
        )
    side = require_party(scope)
    if record.recorded_by.state_code != side:
        raise PermissionDenied(N_("Only the side that recorded it may share or withdraw it."))
    return record


def _existing(channel_id: int, record: Subject | Asset) -> ChannelShare | None:
    column = ChannelShare.subject_id if isinstance(record, Subject) else ChannelShare.asset_id
    return db.session.scalar(
        select(ChannelShare).where(ChannelShare.channel_id == channel_id, column == record.id)
    )


def _what(record: Subject | Asset) -> dict[str, object]:
    return {"subject" if isinstance(record, Subject) else "asset": record.id}


def share_record(
    actor: User,
    channel_id: int,
    now: datetime,
    *,
    subject_id: int | None = None,
    asset_id: int | None = None,
) -> ChannelShare:
    """Share one of the actor's side's subjects or assets at a table it sits at; 409 if there."""
    channel = _table(actor, channel_id)
    record = _owned(actor, channel, subject_id, asset_id)
    if _existing(channel.id, record) is not None:
        raise Conflict(N_("This record is already shared in this channel."))
    share = ChannelShare(
        channel_id=channel.id,
        subject_id=subject_id,
        asset_id=asset_id,
        shared_by_id=actor.id,
        shared_at=now,
    )
    db.session.add(share)
    db.session.flush()
    audit.record(actor, "channel.record_shared", "channel", channel.id, _what(record), at=now)
    return share


def withdraw_record(
    actor: User,
    channel_id: int,
    now: datetime,
    *,
    subject_id: int | None = None,
    asset_id: int | None = None,
) -> None:
    """The owner side takes a record back from the table; it is no longer read there."""
    channel = _table(actor, channel_id)
    record = _owned(actor, channel, subject_id, asset_id)
    share = _existing(channel.id, record)
    if share is None:
        raise NotFound(N_("This record is not shared in this channel."), reason="share_not_found")
    db.session.delete(share)
    db.session.flush()
    audit.record(actor, "channel.record_withdrawn", "channel", channel.id, _what(record), at=now)


def list_shares(actor: User, channel_id: int, now: datetime) -> list[ShareView]:
    """What was shared at the table, oldest first: for those seated there only; audited."""
    channel = _table(actor, channel_id)
    rows = db.session.scalars(
        select(ChannelShare).where(ChannelShare.channel_id == channel.id).order_by(ChannelShare.id)
    ).all()
    views = []
    for row in rows:
        subject = db.session.get(Subject, row.subject_id) if row.subject_id else None
        asset = db.session.get(Asset, row.asset_id) if row.asset_id else None
        views.append(
            ShareView(
                id=row.id,
                channel_id=channel.id,
                subject=read_subject(subject) if subject else None,
                asset=read_asset(asset, detailed=False) if asset else None,
                shared_by=person_of(row.shared_by),
                shared_at=row.shared_at,
            )
        )
    audit.record(actor, "channel.shares_viewed", "channel", channel.id, at=now)
    return views
