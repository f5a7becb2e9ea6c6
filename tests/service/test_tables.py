"""Multilateral tables: who opens one, who answers, who sits there, and what stays bilateral."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from network.audit.models import AuditRecord
from network.cases import access, listing, tables, team
from network.cases.models import ChannelMember
from network.core import clock
from network.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from network.extensions import db
from network.messages import posting, reading
from network.notifications.models import Notification
from tests.conftest import Cast, make_user
from tests.stories import TableStory, table_story


@pytest.fixture
def story(cast: Cast) -> TableStory:
    return table_story(cast)


def _seated(channel_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(ChannelMember.user_id).where(
                ChannelMember.channel_id == channel_id, ChannelMember.removed_at.is_(None)
            )
        )
    )


def test_only_the_requesting_side_and_accepted_states_sit_at_the_table(
    cast: Cast, story: TableStory
) -> None:
    assert _seated(story.table.id) == {cast.amina.id, cast.lea.id}
    answers = {p.state: p.answer for p in tables.table_parties(cast.amina, story.table.id)}
    assert answers == {"CHE": "accepted", "FRA": "declined", "CHN": "pending"}


@pytest.mark.parametrize("who", ["camille", "chen"])
def test_a_declined_or_pending_state_cannot_reach_the_table(
    cast: Cast, story: TableStory, who: str
) -> None:
    user = getattr(cast, who)
    with pytest.raises(NotFound):
        access.access_channel(user, story.table.id)
    with pytest.raises(NotFound):
        reading.channel_view(user, story.table.id)
    with pytest.raises(NotFound):
        posting.post_message(user, story.table.id, client_id="x", body="hi", now=clock.now())
    with pytest.raises(NotFound):
        tables.table_parties(user, story.table.id)


def test_the_table_is_listed_only_to_whoever_sits_at_it(cast: Cast, story: TableStory) -> None:
    def kinds(user: object) -> list[str]:
        view = listing.case_view(user, story.case.id)  # type: ignore[arg-type]
        return [each.kind for each in view.channels]

    assert kinds(cast.amina) == ["bilateral", "bilateral", "bilateral", "multilateral"]
    assert kinds(cast.lea) == ["bilateral", "multilateral"]
    assert kinds(cast.camille) == ["bilateral"]
    assert kinds(cast.chen) == ["bilateral"]
    invitation = listing.case_view(cast.chen, story.case.id).invitations
    assert [(each.channel_id, each.answer) for each in invitation] == [(story.table.id, "pending")]


def test_a_seat_at_the_table_shows_no_other_state_s_bilateral_records(
    cast: Cast, story: TableStory
) -> None:
    scope = access.case_scope(cast.lea, story.case.id)
    assert scope.visible == frozenset({"CHE"})
    view = listing.case_view(cast.lea, story.case.id)
    assert view.requested_states == ["CHE"]


def test_opening_needs_two_distinct_requested_states_of_the_case(
    cast: Cast, story: TableStory
) -> None:
    for states in (["CHE"], ["CHE", "CHE"], ["CHE", "RUS"], []):
        with pytest.raises(InvalidInput):
            tables.open_table(cast.amina, story.case.id, states, clock.now())


def test_a_requested_state_cannot_open_a_table(cast: Cast, story: TableStory) -> None:
    with pytest.raises(PermissionDenied):
        tables.open_table(cast.lea, story.case.id, ["CHE", "FRA"], clock.now())


def test_an_identical_table_nobody_declined_is_refused(cast: Cast, story: TableStory) -> None:
    tables.open_table(cast.amina, story.case.id, ["CHE", "CHN"], clock.now())
    with pytest.raises(Conflict):
        tables.open_table(cast.amina, story.case.id, ["CHN", "CHE"], clock.now())
    # FRA declined the first table: the requesting side may invite the same States again.
    again = tables.open_table(cast.amina, story.case.id, ["CHE", "FRA", "CHN"], clock.now())
    assert again.id != story.table.id


def test_declining_is_final_and_answering_twice_is_a_conflict(
    cast: Cast, story: TableStory
) -> None:
    with pytest.raises(Conflict):
        tables.answer_table(cast.camille, story.table.id, True, clock.now())
    with pytest.raises(Conflict):
        tables.answer_table(cast.lea, story.table.id, False, clock.now())


def test_only_an_invited_state_answers(cast: Cast, story: TableStory) -> None:
    for user in (cast.amina, cast.olga, cast.observer, cast.secretariat):
        with pytest.raises(NotFound):
            tables.answer_table(user, story.table.id, True, clock.now())
    with pytest.raises(NotFound):
        tables.answer_table(cast.lea, story.bilateral["CHE"].id, True, clock.now())


def test_a_colleague_added_later_sits_at_the_table_only_if_their_state_accepted(
    cast: Cast, story: TableStory
) -> None:
    swiss = make_user("max@che.example", "Max Keller", "practitioner", "CHE")
    french = make_user("paul@fra.example", "Paul Martin", "practitioner", "FRA")
    team.add_team_member(cast.lea, story.case.id, swiss.id, clock.now())
    team.add_team_member(cast.camille, story.case.id, french.id, clock.now())
    db.session.commit()
    assert swiss.id in _seated(story.table.id)
    assert french.id not in _seated(story.table.id)


def test_accepting_seats_the_whole_team_and_messages_flow(cast: Cast, story: TableStory) -> None:
    tables.answer_table(cast.chen, story.table.id, True, clock.now())
    posting.post_message(cast.chen, story.table.id, client_id="c1", body="ni hao", now=clock.now())
    db.session.commit()
    seen = reading.messages_after(cast.lea, story.table.id, 0, 10)
    assert [each.body for each in seen] == ["ni hao"]


def test_every_step_is_audited_and_told(cast: Cast, story: TableStory) -> None:
    actions = set(db.session.scalars(select(AuditRecord.action)))
    assert {
        "channel.multilateral_opened",
        "channel.multilateral_accepted",
        "channel.multilateral_declined",
    } <= actions
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
    assert (cast.chen.id, "channel.invited") in kinds
    assert (cast.amina.id, "channel.member_joined") in kinds
    assert (cast.amina.id, "channel.member_left") in kinds
    # The decliner is not told who else accepted.
    assert (cast.camille.id, "channel.member_joined") not in kinds


def test_observers_are_not_invited_to_a_table(cast: Cast, story: TableStory) -> None:
    with pytest.raises(Conflict):
        team.invite_observer(cast.amina, story.table.id, cast.observer.id, clock.now())
