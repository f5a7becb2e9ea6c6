"""Hands committed domain events to Socket.IO; a failed emit is logged, never raised."""

from __future__ import annotations

import logging

from flask import current_app, has_app_context
from marshmallow import Schema

from network.core import metrics
from network.core.events import DomainEvent
from network.extensions import socketio
from network.http.notices import pushed
from network.realtime.rooms import room_of
from network.schemas.messages import MessageSchema, ReceiptSchema

log = logging.getLogger(__name__)

MEMBERSHIP_ENDED = "membership_ended"
NOTIFICATION = "notification"

# Events whose payload is a read model, by name, with the schema that is also the REST answer.
_SHAPES: dict[str, Schema] = {"message": MessageSchema(), "receipt": ReceiptSchema()}


def payload_of(event: DomainEvent) -> object:
    """What the clients receive: a read model dumped with its schema, else the ids as given."""
    if event.name == NOTIFICATION:
        assert isinstance(event.payload, dict)  # noqa: S101 - a notice's event carries its fields
        return pushed(event.payload)
    shape = _SHAPES.get(event.name)
    return shape.dump(event.payload) if shape is not None else event.payload


def _evict_here(event: DomainEvent) -> None:
    """Take this process's sockets of a removed member out of the room at once.

    Other processes do the same from the database within a sweep (``sweeper``).
    """
    if not has_app_context() or "arnet_realtime" not in current_app.extensions:
        return
    from network.realtime.sweeper import drop_from_channel, registry_of

    assert isinstance(event.payload, dict)  # noqa: S101 - membership events carry their ids
    registry = registry_of(current_app)
    channel_id, user_id = int(event.payload["channel"]), int(event.payload["user"])
    for sid, identity in registry.snapshot().items():
        if identity.user_id == user_id and channel_id in identity.channels:
            drop_from_channel(registry, sid, channel_id)


def deliver(events: list[DomainEvent]) -> None:
    """Emit each event to its server-named room, here and (through Redis) on every process.

    Runs after the commit: the database already holds the change, so when Redis or a
    client is unreachable the clients catch up later from their last seq instead.
    """
    if socketio.server is None:  # a CLI command or a job without a Socket.IO server
        return
    for event in events:
        room = room_of(event)
        if event.name == "message":  # one per message stored, counted once it is committed
            metrics.MESSAGES_STORED.inc()
        try:
            if event.name == MEMBERSHIP_ENDED:
                _evict_here(event)
            socketio.emit(event.name, payload_of(event), to=room)
        except Exception:  # the request already succeeded; the record is the database
            log.exception("could not emit %s to %s; clients will catch up", event.name, room)
