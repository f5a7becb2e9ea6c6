"""Hands committed domain events to Socket.IO; a failed emit is logged, never raised."""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app, has_app_context

from network.core import metrics
from network.core.events import DomainEvent
from network.extensions import socketio

log = logging.getLogger(__name__)

MEMBERSHIP_ENDED = "membership_ended"


def json_safe(value: Any) -> Any:
    """Timestamps as ISO 8601 text and decimals as strings, so every payload crosses Redis."""
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _evict_here(payload: dict[str, Any]) -> None:
    """Take this process's sockets of a removed member out of the room at once.

    Other processes do the same from the database within a sweep (``sweeper``).
    """
    if not has_app_context() or "arnet_realtime" not in current_app.extensions:
        return
    from network.realtime.sweeper import drop_from_channel, registry_of

    registry = registry_of(current_app)
    channel_id, user_id = int(payload["channel"]), int(payload["user"])
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
        if event.name == "message":  # one per message stored, counted once it is committed
            metrics.MESSAGES_STORED.inc()
        try:
            if event.name == MEMBERSHIP_ENDED:
                _evict_here(event.payload)
            socketio.emit(event.name, json_safe(event.payload), to=event.room)
        except Exception:  # the request already succeeded; the record is the database
            log.exception("could not emit %s to %s; clients will catch up", event.name, event.room)
