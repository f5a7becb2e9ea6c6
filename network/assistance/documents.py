"""A request's signed copy and its annexes: files filed with the request, sealed like messages.

They are attachments of the channel of the request's relationship (``network.messages``), so
the two parties, and only they and the observers they invited, read them; each upload and
each download is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from network.assistance.access import access_request, acting_side, require_side
from network.assistance.lifecycle import Side
from network.assistance.requests import tell_other_side
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import PersonRef, person_of
from network.cases.models import Channel
from network.core.errors import InvalidInput, NotFound, PermissionDenied
from network.core.i18n import N_
from network.extensions import db
from network.messages import attachments, storage
from network.messages.models import Attachment
from network.schemas.vocabularies import (
    REQUEST_DOCUMENT_KINDS,
    SIGNED_REQUEST,
    NotificationKind,
)


@dataclass(frozen=True)
class RequestDocument:
    """A file filed with a request, its name opened; never its content."""

    id: int
    kind: str
    filename: str | None
    size: int
    sha256: str
    content_type: str
    added_by: PersonRef | None
    added_at: datetime
    integrity: str


def _document(attachment: Attachment, added_by: User | None) -> RequestDocument:
    view = attachments.attachment_view(attachment)
    return RequestDocument(
        id=view.id,
        kind=attachment.document_kind or "annex",
        filename=view.filename,
        size=view.size,
        sha256=view.sha256,
        content_type=view.content_type,
        added_by=person_of(added_by),
        added_at=view.uploaded_at,
        integrity=view.integrity,
    )


def add_document(
    actor: User,
    request_id: int,
    *,
    kind: str,
    filename: str,
    stream: storage.ByteSource,
    declared_size: int | None,
    store: storage.AttachmentStore,
    max_bytes: int,
    now: datetime,
) -> RequestDocument:
    """File an upload with the request: the signed request (requesting side) or an annex.

    Either party may add an annex; observers read but never file. The file is encrypted as it
    streams, with the key of the relationship's channel, and the other side is told (no content).
    """
    if kind not in REQUEST_DOCUMENT_KINDS:
        raise InvalidInput(
            N_("Some values are not valid."), {"kind": [N_("Choose a signed request or an annex.")]}
        )
    request, scope = access_request(actor, request_id, to_change=True)
    if acting_side(scope, request) is None:
        raise PermissionDenied(N_("Only a party to the request may file a document with it."))
    if kind == SIGNED_REQUEST:
        require_side(scope, request, Side.REQUESTING)
    channel_id = db.session.scalar(
        select(Channel.id).where(
            Channel.case_id == request.case_id, Channel.requested_state == request.requested_state
        )
    )
    if channel_id is None:
        raise NotFound(N_("No such channel."), reason="channel_not_found")
    view = attachments.store_attachment(
        actor,
        channel_id,
        filename=filename,
        stream=stream,
        declared_size=declared_size,
        store=store,
        max_bytes=max_bytes,
        now=now,
    )
    attachment = db.session.get_one(Attachment, view.id)
    attachment.request_id, attachment.document_kind = request.id, kind
    audit.record(
        actor,
        "request.document_filed",
        "request",
        request.id,
        {"attachment": attachment.id, "kind": kind, "sha256": attachment.sha256},
        at=now,
    )
    tell_other_side(NotificationKind.REQUEST_DOCUMENT_FILED, request, actor, now)
    return _document(attachment, actor)


def request_documents(actor: User, request_id: int) -> list[RequestDocument]:
    """The files filed with a request the actor may see, oldest first."""
    request, _scope = access_request(actor, request_id)
    rows = db.session.execute(
        select(Attachment, User)
        .join(User, User.id == Attachment.uploader_id)
        .where(Attachment.request_id == request.id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    ).all()
    return [_document(attachment, uploader) for attachment, uploader in rows]
