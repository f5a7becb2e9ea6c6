"""Specifications for the case services: opening, access, teams, observers, references, stage."""

from __future__ import annotations

from functools import partial

import pytest
from sqlalchemy import select, update

from network.audit.models import AuditRecord
from network.cases import listing, opening, references, team
from network.cases.access import access_case, access_channel, channel_rooms_for, is_member
from network.cases.models import Case
from network.core import clock
from network.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from network.extensions import db
from network.messages import posting, reading
from tests.conftest import Cast
from tests.stories import open_story, removed_member

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _actions(name: str) -> list[AuditRecord]:
    return list(db.session.scalars(select(AuditRecord).where(AuditRecord.action == name)))


def test_opening_a_case_gives_each_requested_state_its_own_channel(cast: Cast) -> None:
    story = open_story(cast)

    assert story.case.requesting_state == "CIV"
    assert sorted(channel_rooms_for(cast.amina)) == sorted([story.che.id, story.fra.id])
    assert channel_rooms_for(cast.lea) == [story.che.id]
    assert channel_rooms_for(cast.camille) == [story.fra.id]
    view = listing.case_view(cast.amina, story.case.id)
    assert view.title == "Port authority embezzlement"
    assert view.requested_states == ["CHE", "FRA"]
    assert view.references == {"CIV": "CIV-PNF-2024-17"}
    assert view.stage == "informal_consultation"
    assert [p.name for p in view.team] == ["Aminata Koné", "Léa Müller", "Camille Laurent"]
    opened = _actions("case.opened")
    assert len(opened) == 1
    assert opened[0].details["requested_states"] == ["CHE", "FRA"]


def test_a_requested_state_never_sees_another_requested_states_channel(cast: Cast) -> None:
    story = open_story(cast)

    view = listing.case_view(cast.lea, story.case.id)
    assert [c.requested_state for c in view.channels] == ["CHE"]
    assert view.requested_states == ["CHE"]
    assert {p.state for p in view.team} == {"CIV", "CHE"}
    with pytest.raises(NotFound):
        access_channel(cast.lea, story.fra.id)


def test_counterparts_must_be_users_of_a_requested_state(cast: Cast) -> None:
    with pytest.raises(InvalidInput) as refused:
        opening.open_case(
            cast.amina,
            title="T",
            summary="",
            reference="",
            requested_states=["CHE"],
            counterparts=[cast.lea.id, cast.chen.id],
            now=clock.now(),
        )
    assert "counterparts" in refused.value.errors
    assert db.session.scalar(select(Case)) is None


@pytest.mark.parametrize(
    "requested", [[], ["CIV"], ["XXX"], ["CHE", "CHE"]], ids=["none", "own", "unknown", "twice"]
)
def test_requested_states_must_be_known_distinct_and_foreign(
    cast: Cast, requested: list[str]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        opening.open_case(
            cast.amina,
            title="T",
            summary="",
            reference="",
            requested_states=requested,
            counterparts=[],
            now=clock.now(),
        )
    assert "requested_states" in refused.value.errors


@pytest.mark.parametrize("who", ["observer", "secretariat"])
def test_only_state_users_open_cases(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        opening.open_case(
            getattr(cast, who),
            title="T",
            summary="",
            reference="",
            requested_states=["CHE"],
            counterparts=[],
            now=clock.now(),
        )


@pytest.mark.parametrize("who", ["chen", "olga", "observer", "secretariat", "removed"])
def test_outsiders_are_told_the_same_as_for_a_missing_case(cast: Cast, who: str) -> None:
    story = open_story(cast)
    outsider = removed_member(cast, story) if who == "removed" else getattr(cast, who)

    with pytest.raises(NotFound) as missing:
        access_case(outsider, 999_999)
    with pytest.raises(NotFound) as hidden:
        access_case(outsider, story.case.id)
    assert hidden.value.message == missing.value.message
    for channel in (story.che, story.fra):
        assert not is_member(outsider.id, channel.id)
        with pytest.raises(NotFound):
            access_channel(outsider, channel.id)
    assert listing.my_cases(outsider, 1, 50, lambda ids: {}) == ([], 0)


def test_a_member_adds_a_colleague_of_their_own_state_only(cast: Cast) -> None:
    story = open_story(cast)

    with pytest.raises(InvalidInput):
        team.add_team_member(cast.lea, story.case.id, cast.chen.id, clock.now())
    with pytest.raises(InvalidInput):
        team.add_team_member(cast.lea, story.case.id, cast.yao.id, clock.now())
    team.add_team_member(cast.amina, story.case.id, cast.yao.id, clock.now())
    db.session.commit()

    assert sorted(channel_rooms_for(cast.yao)) == sorted([story.che.id, story.fra.id])
    with pytest.raises(Conflict):
        team.add_team_member(cast.amina, story.case.id, cast.yao.id, clock.now())
    assert _actions("case.team_member_added")[0].details == {"user": cast.yao.id, "state": "CIV"}


def test_a_national_administrator_adds_to_their_states_cases_without_being_a_member(
    cast: Cast,
) -> None:
    story = open_story(cast)
    with pytest.raises(NotFound):
        access_case(cast.yao, story.case.id)

    team.add_team_member(
        cast.yao, story.case.id, cast.yao.id, clock.now(), reason="Aminata is on leave"
    )
    db.session.commit()

    assert access_case(cast.yao, story.case.id).id == story.case.id


def test_an_uninvolved_national_administrator_cannot_reach_the_team(cast: Cast) -> None:
    story = open_story(cast)

    with pytest.raises(NotFound):
        team.add_team_member(cast.olga, story.case.id, cast.olga.id, clock.now())


def test_removal_ends_every_channel_of_that_side_and_is_reported_for_eviction(cast: Cast) -> None:
    story = open_story(cast)
    before = clock.now()

    kofi = removed_member(cast, story)

    with pytest.raises(NotFound):
        access_case(kofi, story.case.id)
    assert channel_rooms_for(kofi) == []
    changes = reading.membership_changes_since(before)
    assert sorted(changes) == sorted([(kofi.id, story.che.id), (kofi.id, story.fra.id)])
    assert reading.membership_changes_since(clock.now()) == []


def test_the_requesting_side_keeps_at_least_one_member(cast: Cast) -> None:
    story = open_story(cast)

    with pytest.raises(Conflict):
        team.leave_case(cast.amina, story.case.id, clock.now())
    with pytest.raises(Conflict):
        team.remove_team_member(cast.yao, story.case.id, cast.amina.id, clock.now())


def test_a_requested_side_member_may_leave(cast: Cast) -> None:
    story = open_story(cast)

    team.leave_case(cast.lea, story.case.id, clock.now())
    db.session.commit()

    with pytest.raises(NotFound):
        access_channel(cast.lea, story.che.id)
    assert [p.name for p in listing.case_view(cast.amina, story.case.id).team] == [
        "Aminata Koné",
        "Camille Laurent",
    ]


def test_an_observer_joins_only_by_invitation_and_only_the_inviting_party_revokes(
    cast: Cast,
) -> None:
    story = open_story(cast)
    with pytest.raises(NotFound):
        access_channel(cast.observer, story.che.id)

    team.invite_observer(cast.lea, story.che.id, cast.observer.id, clock.now())
    db.session.commit()

    assert access_channel(cast.observer, story.che.id).id == story.che.id
    with pytest.raises(NotFound):
        access_channel(cast.observer, story.fra.id)
    seen_by_amina = listing.case_view(cast.amina, story.case.id).observers
    assert [(s.person.name, s.channel_id, s.invited_by_state) for s in seen_by_amina] == [
        ("Obi Server", story.che.id, "CHE")
    ]
    with pytest.raises(PermissionDenied):
        team.revoke_observer(cast.amina, story.che.id, cast.observer.id, clock.now())
    with pytest.raises(PermissionDenied):
        team.invite_observer(cast.observer, story.che.id, cast.observer.id, clock.now())

    team.revoke_observer(cast.lea, story.che.id, cast.observer.id, clock.now())
    db.session.commit()
    with pytest.raises(NotFound):
        access_channel(cast.observer, story.che.id)


def test_only_observer_accounts_are_invited_as_observers(cast: Cast) -> None:
    story = open_story(cast)

    with pytest.raises(InvalidInput):
        team.invite_observer(cast.lea, story.che.id, cast.chen.id, clock.now())
    with pytest.raises(InvalidInput):
        team.invite_observer(cast.lea, story.che.id, cast.secretariat.id, clock.now())


def test_each_side_sets_its_own_reference(cast: Cast) -> None:
    story = open_story(cast)

    references.set_own_reference(cast.lea, story.case.id, "OFJ-RH-2024-88", clock.now())
    references.set_own_reference(cast.camille, story.case.id, "PNF-24-301", clock.now())
    db.session.commit()

    assert listing.case_view(cast.amina, story.case.id).references == {
        "CIV": "CIV-PNF-2024-17",
        "CHE": "OFJ-RH-2024-88",
        "FRA": "PNF-24-301",
    }
    assert listing.case_view(cast.lea, story.case.id).references == {
        "CIV": "CIV-PNF-2024-17",
        "CHE": "OFJ-RH-2024-88",
    }


def test_the_requesting_side_moves_the_stage_and_the_history_keeps_why(cast: Cast) -> None:
    story = open_story(cast)

    with pytest.raises(PermissionDenied):
        opening.change_stage(cast.lea, story.case.id, "formal_request", "", clock.now())
    with pytest.raises(InvalidInput):
        opening.change_stage(cast.amina, story.case.id, "finished", "", clock.now())
    with pytest.raises(Conflict):
        opening.change_stage(cast.amina, story.case.id, "informal_consultation", "", clock.now())
    opening.change_stage(
        cast.amina, story.case.id, "formal_request", "MLA request sent by courier", clock.now()
    )
    db.session.commit()

    history = listing.case_view(cast.lea, story.case.id).stage_history
    assert [(h.from_stage, h.to_stage, h.reason) for h in history] == [
        (None, "informal_consultation", ""),
        ("informal_consultation", "formal_request", "MLA request sent by courier"),
    ]


def test_a_case_title_copied_to_another_case_fails_to_open(cast: Cast) -> None:
    first = open_story(cast)
    second = open_story(cast, summary="Another matter")
    sealed = db.session.scalar(select(Case.title_sealed).where(Case.id == first.case.id))

    db.session.execute(update(Case).where(Case.id == second.case.id).values(title_sealed=sealed))
    db.session.commit()
    db.session.expire_all()

    assert listing.case_view(cast.amina, first.case.id).title == "Port authority embezzlement"
    copied = listing.case_view(cast.amina, second.case.id)
    assert (copied.title, copied.summary, copied.integrity) == (None, "Another matter", "failed")


def test_my_cases_lists_newest_first_with_unread_counts(cast: Cast) -> None:
    first = open_story(cast)
    second = open_story(cast)
    posting.post_message(cast.lea, second.che.id, client_id="m1", body="Bonjour", now=clock.now())
    db.session.commit()

    page, total = listing.my_cases(cast.amina, 1, 1, partial(reading.unread_counts, cast.amina))
    assert total == 2
    assert [(c.id, c.unread) for c in page] == [(second.case.id, 1)]
    page, _ = listing.my_cases(cast.amina, 2, 1, partial(reading.unread_counts, cast.amina))
    assert [(c.id, c.unread) for c in page] == [(first.case.id, 0)]
