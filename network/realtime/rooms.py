"""Every Socket.IO room's name, made from the ids that domain events and sockets carry.

The server names rooms; a client never does. Domain code hands over ids only.
"""

from __future__ import annotations

from network.core.events import DomainEvent


def channel_room(channel_id: int) -> str:
    """The room of everyone reading one channel."""
    return f"channel:{channel_id}"


def user_room(user_id: int) -> str:
    """The room of one user's sockets, whichever channels they have open."""
    return f"user:{user_id}"


def room_of(event: DomainEvent) -> str:
    """The room an event is emitted to."""
    if event.channel_id is not None:
        return channel_room(event.channel_id)
    assert event.user_id is not None  # noqa: S101 - DomainEvent requires one of the two
    return user_room(event.user_id)
