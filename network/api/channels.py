"""/api/v1/channels/... and /api/v1/attachments/...: messages, read positions, observers, files."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import quote

from flask import Response, current_app
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import file_download, page_answer, refuses
from network.api.uploads import declared_size, multipart_body, streamed_upload
from network.cases import seating, tables, team
from network.core import clock
from network.extensions import db
from network.http.security import sandboxed_download
from network.messages import attachments, posting, reading
from network.recovery import shares
from network.schemas.cases import InvitationSchema
from network.schemas.messages import (
    AttachmentSchema,
    ChannelSchema,
    MessageArgs,
    MessageInput,
    MessageListSchema,
    MessageSchema,
    ObserverInput,
    ObserverInvitationSchema,
    ReadAnswerSchema,
    ReadInput,
    ReadPositionListSchema,
)
from network.schemas.recovery import ShareInput, ShareListSchema
from network.wiring import attachment_store, send_throttle

PREFIX = ""
blp = Blueprint("channels", __name__, description="Channel messages and attachments (members only)")

def _content_disposition(filename: str | None) -> str:
    """``attachment`` always, with an ASCII fallback name and the exact name in RFC 5987 form.

    A name that failed its integrity check (None) is sent as "attachment".
    """
    filename = filename or "attachment"
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(c for c in fallback if c.isprintable() and c not in '"\\;') or "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# --- routes ----------------------------------------------------------------------------------


@blp.route("/channels/<int:channel_id>")
class ChannelById(MethodView):
    @blp.response(200, ChannelSchema)
    def get(self, channel_id: int) -> reading.ChannelView:
        """A channel: its two States, members (observers included) and the caller's position."""
        return reading.channel_view(current_user, channel_id)


@blp.route("/channels/<int:channel_id>/messages")
class ChannelMessages(MethodView):
    @blp.arguments(MessageArgs, location="query")
    @blp.response(200, MessageListSchema)
    def get(self, args: dict[str, Any], channel_id: int) -> dict[str, Any]:
        """Messages after ``after_seq`` in seq order, at most ``limit``."""
        page = reading.message_page(current_user, channel_id, args["after_seq"], args["limit"])
        db.session.commit()
        return page_answer(page.items, page.last_seq)

    @blp.arguments(MessageInput)
    @blp.response(201, MessageSchema)
    @blp.alt_response(200, schema=MessageSchema, description="The client_id was already stored.")
    @refuses(blp, 409, 429)
    def post(self, data: dict[str, Any], channel_id: int) -> tuple[reading.MessageView, int]:
        """Send a message; a retry with the same client_id answers 200 with the stored one.

        Sends over REST and Socket.IO share one budget per user (ARNET_MESSAGE_SEND_LIMIT);
        beyond it the answer is 429 with Retry-After.
        """
        send_throttle().spend(current_user.id)
        message, created = posting.post_message(
            current_user,
            channel_id,
            max_bytes=current_app.config["MESSAGE_MAX_BYTES"],
            now=clock.now(),
            **data,
        )
        # A new message's files are those it named (bound, or the send was refused): opened
        # as sent, not read back.
        view = (
            reading.opened(message, ())
            if created and not data.get("attachment_ids")
            else reading.message_view(message)
        )
        db.session.commit()
        return view, 201 if created else 200


@blp.route("/channels/<int:channel_id>/read")
class ReadPositions(MethodView):
    @blp.response(200, ReadPositionListSchema)
    def get(self, channel_id: int) -> dict[str, Any]:
        """How far each member has read, so a sender sees who read what."""
        items = reading.read_positions(current_user, channel_id)
        return page_answer(items, len(items))

    @blp.arguments(ReadInput)
    @blp.response(200, ReadAnswerSchema)
    def post(self, data: dict[str, Any], channel_id: int) -> dict[str, Any]:
        """Move the caller's read position forward (it never moves back)."""
        seq = reading.mark_read(current_user, channel_id, data["seq"], clock.now())
        db.session.commit()
        return {"channel": channel_id, "seq": seq}


@blp.route("/channels/<int:channel_id>/accept")
class AcceptTable(MethodView):
    @blp.response(200, InvitationSchema)
    @refuses(blp, 409)
    def post(self, channel_id: int) -> tables.Invitation:
        """Accept a multilateral channel for the caller's State: its team takes seats there."""
        answer = tables.answer_table(current_user, channel_id, True, clock.now())
        db.session.commit()
        return answer


@blp.route("/channels/<int:channel_id>/decline")
class DeclineTable(MethodView):
    @blp.response(200, InvitationSchema)
    @refuses(blp, 409)
    def post(self, channel_id: int) -> tables.Invitation:
        """Decline a multilateral channel for the caller's State, for good (no seat there)."""
        answer = tables.answer_table(current_user, channel_id, False, clock.now())
        db.session.commit()
        return answer


@blp.route("/channels/<int:channel_id>/shares")
class ChannelShares(MethodView):
    @blp.response(200, ShareListSchema)
    @refuses(blp, 409)
    def get(self, channel_id: int) -> dict[str, Any]:
        """The subjects and assets shared at a multilateral table (for those seated there)."""
        items = shares.list_shares(current_user, channel_id, clock.now())
        db.session.commit()
        return page_answer(items, len(items), 1)

    @blp.arguments(ShareInput)
    @blp.response(201, ShareListSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], channel_id: int) -> dict[str, Any]:
        """Share a subject or an asset the caller's side recorded; answers the table's shares."""
        now = clock.now()
        shares.share_record(
            current_user, channel_id, now, subject_id=data["subject"], asset_id=data["asset"]
        )
        items = shares.list_shares(current_user, channel_id, now)
        db.session.commit()
        return page_answer(items, len(items), 1)


@blp.route("/channels/<int:channel_id>/shares/subjects/<int:subject_id>")
class SharedSubject(MethodView):
    @blp.response(204)
    @refuses(blp, 403, 409)
    def delete(self, channel_id: int, subject_id: int) -> None:
        """Withdraw a subject the caller's side shared at the table."""
        shares.withdraw_record(current_user, channel_id, clock.now(), subject_id=subject_id)
        db.session.commit()


@blp.route("/channels/<int:channel_id>/shares/assets/<int:asset_id>")
class SharedAsset(MethodView):
    @blp.response(204)
    @refuses(blp, 403, 409)
    def delete(self, channel_id: int, asset_id: int) -> None:
        """Withdraw an asset the caller's side shared at the table."""
        shares.withdraw_record(current_user, channel_id, clock.now(), asset_id=asset_id)
        db.session.commit()


@blp.route("/channels/<int:channel_id>/observers")
class Observers(MethodView):
    @blp.arguments(ObserverInput)
    @blp.response(201, ObserverInvitationSchema)
    @refuses(blp, 403, 409)
    def post(self, data: dict[str, Any], channel_id: int) -> dict[str, Any]:
        """Invite an observer body's user into the channel, for the caller's State."""
        seat = team.invite_observer(current_user, channel_id, data["user"], clock.now())
        answer = {
            "user": seating.Person(
                seat.user.id,
                seat.user.name,
                None,
                seat.user.body.acronym if seat.user.body else None,
                seat.user.role,
            ),
            "channel": channel_id,
            "invited_by_state": seat.invited_by_state,
        }
        db.session.commit()
        return answer


@blp.route("/channels/<int:channel_id>/observers/<int:user_id>")
class ObserverById(MethodView):
    @blp.response(204)
    @refuses(blp, 403, 409)
    def delete(self, channel_id: int, user_id: int) -> None:
        """Revoke an observer the caller's State invited; they lose the channel at once."""
        team.revoke_observer(current_user, channel_id, user_id, clock.now())
        db.session.commit()


@blp.route("/channels/<int:channel_id>/attachments")
class ChannelAttachments(MethodView):
    @blp.doc(requestBody=multipart_body())
    @blp.response(201, AttachmentSchema)
    @refuses(blp, 422, 507)
    def post(self, channel_id: int) -> attachments.AttachmentView:
        """Upload a file (multipart, field ``file``), encrypted as it streams; attach it by id."""
        max_bytes = current_app.config["ATTACHMENT_MAX_BYTES"]
        upload, filename = streamed_upload(max_bytes)
        view = attachments.store_attachment(
            current_user,
            channel_id,
            filename=filename,
            stream=upload,
            declared_size=declared_size(upload),
            store=attachment_store(),
            max_bytes=max_bytes,
            now=clock.now(),
        )
        db.session.commit()
        return view


@blp.route("/attachments/<int:attachment_id>")
class AttachmentById(MethodView):
    decorators: ClassVar[list[Callable[..., Any]]] = [sandboxed_download]

    @blp.doc(**file_download("The file, streamed, in the media type it was uploaded with.", "*/*"))
    def get(self, attachment_id: int) -> Response:
        """Download a file, decrypted as it streams; ``X-Content-SHA256`` carries its hash."""
        view, chunks = attachments.open_attachment(
            current_user,
            attachment_id,
            store=attachment_store(),
            now=clock.now(),
        )
        db.session.commit()
        response = Response(chunks, mimetype=view.content_type, direct_passthrough=True)
        response.headers["Content-Disposition"] = _content_disposition(view.filename)
        response.headers["Content-Length"] = str(view.size)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Content-SHA256"] = view.sha256
        return response
