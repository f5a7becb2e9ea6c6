"""access_case(): the only way to load a case; members of any of its channels may."""

from __future__ import annotations

from sqlalchemy import select

from network.auth.models import User
from network.cases.models import Case
from network.channels.access import may_hold
from network.channels.models import Channel, ChannelMember
from network.core.errors import NotFound
from network.core.i18n import N_
from network.extensions import db


def memberships_in_case(user: User, case_id: int) -> list[ChannelMember]:
    """The user's usable, current memberships of the case's channels."""
    rows = db.session.scalars(
        select(ChannelMember)
        .join(Channel, Channel.id == ChannelMember.channel_id)
        .where(
            Channel.case_id == case_id,
            ChannelMember.user_id == user.id,
            ChannelMember.removed_at.is_(None),
        )
        .order_by(ChannelMember.channel_id)
    ).all()
    return [each for each in rows if may_hold(user, each)]


def access_case(user: User, case_id: int, missing: str = N_("No such case.")) -> Case:
    """Load a case the user reaches through a channel; missing and forbidden look alike.

    ``missing`` is the refusal in the words of what was asked for: a request of a case the
    user may not see is "No such request.", as is a request that does not exist.
    """
    case = db.session.get(Case, case_id)
    if case is None or not memberships_in_case(user, case_id):
        raise NotFound(missing)
    return case
