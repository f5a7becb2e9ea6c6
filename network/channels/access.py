"""access_channel(): the only way to load a channel, and the membership rule behind it."""

from __future__ import annotations

from sqlalchemy import select

from network.auth.models import Role, User
from network.channels.models import Channel, ChannelMember, MemberKind
from network.core.errors import NotFound
from network.core.i18n import N_
from network.extensions import db

PARTY_ROLES = frozenset({Role.PRACTITIONER.value, Role.NATIONAL_ADMIN.value})


def current_membership(user_id: int, channel_id: int) -> ChannelMember | None:
    """The user's membership of the channel, unless it was ended (removal, leaving, revocation)."""
    return db.session.scalar(
        select(ChannelMember).where(
            ChannelMember.channel_id == channel_id,
            ChannelMember.user_id == user_id,
            ChannelMember.removed_at.is_(None),
        )
    )


def may_hold(user: User, membership: ChannelMember | None) -> bool:
    """Whether this user may use this membership at all.

    The secretariat never reads case content; an observer sits in a channel only
    through an invitation; a party seat belongs to a State's practitioner or
    administrator.
    """
    return (
        membership is not None
        and user.active
        and user.role != Role.NETWORK_ADMIN.value
        and (
            (membership.kind == MemberKind.OBSERVER.value and user.role == Role.OBSERVER.value)
            or (membership.kind == MemberKind.PARTY.value and user.role in PARTY_ROLES)
        )
    )


def access_channel(user: User, channel_id: int) -> Channel:
    """Load a channel the user may read; missing and forbidden look the same.

    Channel and membership come in one query: every message sent runs through here.
    """
    found = db.session.execute(
        select(Channel, ChannelMember)
        .join(ChannelMember, ChannelMember.channel_id == Channel.id)
        .where(
            Channel.id == channel_id,
            ChannelMember.user_id == user.id,
            ChannelMember.removed_at.is_(None),
        )
    ).first()
    if found is None or not may_hold(user, found.ChannelMember):
        raise NotFound(N_("No such channel."))
    return found.Channel


def is_member(user_id: int, channel_id: int) -> bool:
    """For the socket layer: may this user (still) read this channel?"""
    user = db.session.get(User, user_id)
    return user is not None and may_hold(user, current_membership(user_id, channel_id))


def channel_rooms_for(user: User) -> list[int]:
    """Ids of every channel the user may read now, for joining socket rooms."""
    memberships = db.session.scalars(
        select(ChannelMember)
        .where(ChannelMember.user_id == user.id, ChannelMember.removed_at.is_(None))
        .order_by(ChannelMember.channel_id)
    ).all()
    return [each.channel_id for each in memberships if may_hold(user, each)]
