"""Specifications for what links to what: holdings, the case's link tree, same-State matches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from network.assistance import requests
from network.audit.models import AuditRecord
from network.cases import opening
from network.core import clock
from network.core.errors import InvalidInput, NotFound, PermissionDenied
from network.extensions import db
from network.recovery import assets, holdings, link_tree, matching, measures, subjects
from network.recovery.models import Asset, AssetHolding, MatchKey, Subject
from tests.conftest import Cast
from tests.stories import Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast)


def _subject(cast: Cast, story: Story, name: str, **values) -> Subject:
    values = {"kind": "natural", "requested_state": "CHE", **values}
    subject = subjects.record_subject(
        cast.amina, story.case.id, names=[name], now=clock.now(), **values
    )
    db.session.commit()
    return subject


def _account(cast: Cast, story: Story, **values) -> Asset:
    values = {"kind": "bank_account", "location_state": "CHE", **values}
    asset = assets.record_asset(cast.lea, story.case.id, now=clock.now(), **values)
    db.session.commit()
    return asset


def _holdings(asset: Asset) -> dict[int, tuple[str, int | None]]:
    rows = db.session.scalars(select(AssetHolding).where(AssetHolding.asset_id == asset.id))
    return {each.subject_id: (each.kind, each.via_subject_id) for each in rows}


# --- holdings ---------------------------------------------------------------------------------


def test_the_primary_holder_of_an_asset_holds_it_directly(cast: Cast, story: Story) -> None:
    first = _subject(cast, story, "Koffi Traoré")
    second = _subject(cast, story, "Awa Traoré")
    account = _account(cast, story, holder=first.id)
    assert _holdings(account) == {first.id: ("direct", None)}

    assets.update_asset(cast.lea, account.id, {"holder": second.id}, clock.now())
    db.session.commit()
    assert _holdings(account) == {second.id: ("direct", None)}


def test_a_beneficial_owner_holds_through_a_company_of_the_case(cast: Cast, story: Story) -> None:
    owner = _subject(cast, story, "Koffi Traoré")
    company = _subject(cast, story, "Lagune Holdings SA", kind="legal")
    account = _account(cast, story, holder=company.id)

    holdings.link_holder(
        cast.lea,
        account.id,
        subject=owner.id,
        kind="beneficial_owner",
        via=company.id,
        now=clock.now(),
    )
    db.session.commit()

    assert _holdings(account) == {
        company.id: ("direct", None),
        owner.id: ("beneficial_owner", company.id),
    }
    recorded = db.session.scalars(
        select(AuditRecord.action).where(AuditRecord.target_id == str(account.id))
    ).all()
    assert "asset.holding_recorded" in recorded


def test_a_holding_through_someone_names_the_right_kind_of_intermediary(
    cast: Cast, story: Story
) -> None:
    owner = _subject(cast, story, "Koffi Traoré")
    person = _subject(cast, story, "Awa Traoré")
    pep = _subject(cast, story, "Minister Traoré", roles=["pep"])
    account = _account(cast, story)

    for kind, via in (
        ("beneficial_owner", person.id),  # not a company
        ("beneficial_owner", None),
        ("family_member", person.id),  # not a PEP
        ("close_associate", owner.id),  # the holder itself
        ("direct", pep.id),
    ):
        with pytest.raises(InvalidInput) as refused:
            holdings.link_holder(
                cast.lea, account.id, subject=owner.id, kind=kind, via=via, now=clock.now()
            )
        assert "via" in refused.value.errors
        db.session.rollback()

    holdings.link_holder(
        cast.lea, account.id, subject=owner.id, kind="family_member", via=pep.id, now=clock.now()
    )
    db.session.commit()
    assert _holdings(account) == {owner.id: ("family_member", pep.id)}


def test_a_subject_of_another_relationship_cannot_hold_the_asset(cast: Cast, story: Story) -> None:
    french = _subject(cast, story, "Jean Dupont", requested_state="FRA")
    account = _account(cast, story)
    with pytest.raises(InvalidInput) as refused:
        holdings.link_holder(
            cast.amina, account.id, subject=french.id, kind="direct", now=clock.now()
        )
    assert "subject" in refused.value.errors


def test_only_the_parties_of_the_relationship_link_and_unlink(cast: Cast, story: Story) -> None:
    owner = _subject(cast, story, "Koffi Traoré")
    account = _account(cast, story, holder=owner.id)
    # Camille (France) does not see the Swiss relationship: the asset is "not found".
    with pytest.raises(NotFound):
        holdings.link_holder(
            cast.camille, account.id, subject=owner.id, kind="direct", now=clock.now()
        )
    with pytest.raises(NotFound):
        holdings.unlink_holder(cast.chen, account.id, owner.id, clock.now())
    db.session.rollback()

    holdings.unlink_holder(cast.amina, account.id, owner.id, clock.now())
    db.session.commit()
    assert _holdings(account) == {}
    assert db.session.get(Asset, account.id).holder_id is None
    with pytest.raises(NotFound):
        holdings.unlink_holder(cast.amina, account.id, owner.id, clock.now())


def test_an_observer_reads_but_never_links(cast: Cast, story: Story) -> None:
    from network.cases import team

    owner = _subject(cast, story, "Koffi Traoré")
    account = _account(cast, story)
    team.invite_observer(cast.amina, story.che.id, cast.observer.id, clock.now())
    db.session.commit()
    with pytest.raises(PermissionDenied):
        holdings.link_holder(
            cast.observer, account.id, subject=owner.id, kind="direct", now=clock.now()
        )
    db.session.rollback()
    tree = link_tree.link_tree(cast.observer, story.case.id, clock.now())
    assert [each.id for each in tree.unheld_assets] == [account.id]


# --- the tree -------------------------------------------------------------------------------------


def test_the_tree_runs_from_subjects_to_requests_and_hides_nothing(
    cast: Cast, story: Story
) -> None:
    owner = _subject(cast, story, "Koffi Traoré")
    company = _subject(cast, story, "Lagune Holdings SA", kind="legal")
    account = _account(cast, story, holder=company.id, description="Geneva account")
    villa = _account(cast, story, kind="real_estate")
    holdings.link_holder(
        cast.lea,
        account.id,
        subject=owner.id,
        kind="beneficial_owner",
        via=company.id,
        now=clock.now(),
    )
    request = requests.create_request(
        cast.amina,
        story.case.id,
        kind="freezing",
        requested_state="CHE",
        legal_basis="uncac",
        transmission_channel="central_authority",
        reference="CIV-FRZ-1",
        now=clock.now(),
    )
    spare = requests.create_request(
        cast.amina,
        story.case.id,
        kind="mla",
        requested_state="CHE",
        legal_basis="uncac",
        transmission_channel="central_authority",
        now=clock.now(),
    )
    order = measures.record_measure(
        cast.lea,
        story.case.id,
        kind="freezing",
        asset_ids=[account.id],
        issuing_authority="MPC",
        issuing_state="CHE",
        legal_basis="54_2_b",
        effective_on=clock.now().date(),
        expires_on=clock.now().date() + timedelta(days=90),
        request_id=request.id,
        now=clock.now(),
    )
    db.session.commit()

    tree = link_tree.link_tree(cast.amina, story.case.id, clock.now())

    by_name = {each.name: each for each in tree.subjects}
    [held] = by_name["Koffi Traoré"].assets
    assert (held.id, held.holding, held.via_name) == (
        account.id,
        "beneficial_owner",
        "Lagune Holdings SA",
    )
    assert held.description == "Geneva account"
    [linked_order] = held.orders
    assert linked_order.id == order.id
    assert linked_order.request is not None
    assert linked_order.request.reference == "CIV-FRZ-1"
    assert [each.holding for each in by_name["Lagune Holdings SA"].assets] == ["direct"]
    assert [each.id for each in tree.unheld_assets] == [villa.id]
    assert [each.id for each in tree.requests_without_orders] == [spare.id]


def test_each_requested_state_sees_only_its_own_branch(cast: Cast, story: Story) -> None:
    swiss = _subject(cast, story, "Koffi Traoré")
    french = _subject(cast, story, "Jean Dupont", requested_state="FRA")
    _account(cast, story, holder=swiss.id)

    assert [
        each.id for each in link_tree.link_tree(cast.lea, story.case.id, clock.now()).subjects
    ] == [swiss.id]
    assert [
        each.id for each in link_tree.link_tree(cast.camille, story.case.id, clock.now()).subjects
    ] == [french.id]
    assert {
        each.id for each in link_tree.link_tree(cast.amina, story.case.id, clock.now()).subjects
    } == {swiss.id, french.id}
    with pytest.raises(NotFound):
        link_tree.link_tree(cast.chen, story.case.id, clock.now())


# --- same-State matches ---------------------------------------------------------------------------


def _second_case(cast: Cast) -> int:
    case = opening.open_case(
        cast.amina,
        title="Second",
        summary="",
        reference="",
        requested_states=["CHE"],
        counterparts=[cast.lea.id],
        now=clock.now(),
    )
    db.session.commit()
    return case.id


def test_the_same_person_in_another_case_of_the_state_is_pointed_out(
    cast: Cast, story: Story
) -> None:
    here = _subject(cast, story, "José  García", identifiers={"date of birth": "1970-02-01"})
    other_case = _second_case(cast)
    subjects.record_subject(
        cast.amina,
        other_case,
        kind="natural",
        names=["garcia jose"],
        identifiers={"DOB": "1970-02-01"},
        requested_state="CHE",
        now=clock.now(),
    )
    assets.record_asset(
        cast.lea,
        other_case,
        kind="bank_account",
        location_state="CHE",
        identifiers={"IBAN": "CH93 0076 2011 6238 5295 7"},
        now=clock.now(),
    )
    db.session.commit()
    account = _account(cast, story, identifiers={"account": "CH9300762011623852957"})

    for reader in (cast.amina, cast.lea):
        tree = link_tree.link_tree(reader, story.case.id, clock.now())
        [subject] = tree.subjects
        assert subject.id == here.id
        [match] = subject.matches
        assert match.case_id == other_case
        assert set(match.on) == {"name", "name_birth"}
        assert match.may_open
        [unheld] = tree.unheld_assets
        assert unheld.id == account.id
        assert [(each.case_id, each.on) for each in unheld.matches] == [(other_case, ["iban"])]

    # Camille (France) sits in the first case only, on another branch: nothing is pointed out.
    assert link_tree.link_tree(cast.camille, story.case.id, clock.now()).subjects == []


def test_a_match_in_a_case_the_reader_does_not_sit_in_is_named_not_linked(
    cast: Cast, story: Story
) -> None:
    _subject(cast, story, "Koffi Traoré")
    other_case = opening.open_case(
        cast.yao,
        title="Elsewhere",
        summary="",
        reference="",
        requested_states=["FRA"],
        counterparts=[cast.camille.id],
        now=clock.now(),
    )
    db.session.commit()
    subjects.record_subject(
        cast.yao,
        other_case.id,
        kind="natural",
        names=["Traore Koffi"],
        requested_state="FRA",
        now=clock.now(),
    )
    db.session.commit()

    [subject] = link_tree.link_tree(cast.amina, story.case.id, clock.now()).subjects
    [match] = subject.matches
    assert (match.case_id, match.may_open) == (other_case.id, False)
    # France is a party of the other case, but not on the Swiss branch of this one.
    assert link_tree.link_tree(cast.lea, story.case.id, clock.now()).subjects[0].matches == []


def test_the_same_name_is_never_pointed_out_across_states(cast: Cast, story: Story) -> None:
    """Switzerland's case and China's case both hold "Wei Zhang": neither State is told."""
    _subject(cast, story, "Wei Zhang")
    chinese = opening.open_case(
        cast.chen,
        title="Shenzhen",
        summary="",
        reference="",
        requested_states=["RUS"],
        counterparts=[cast.olga.id],
        now=clock.now(),
    )
    db.session.commit()
    subjects.record_subject(
        cast.chen,
        chinese.id,
        kind="natural",
        names=["Zhang Wei"],
        requested_state="RUS",
        now=clock.now(),
    )
    db.session.commit()

    for reader, case_id in (
        (cast.amina, story.case.id),
        (cast.lea, story.case.id),
        (cast.chen, chinese.id),
        (cast.olga, chinese.id),
    ):
        [subject] = link_tree.link_tree(reader, case_id, clock.now()).subjects
        assert subject.matches == []
    # The digests themselves differ between States: nothing to compare, even in the database.
    digests = db.session.execute(
        select(MatchKey.state, MatchKey.digest).where(MatchKey.kind == "name")
    ).all()
    by_state: dict[str, set[str]] = {}
    for state, value in digests:
        by_state.setdefault(state, set()).add(value)
    assert by_state["CIV"].isdisjoint(by_state["CHN"])
    assert by_state["CHE"].isdisjoint(by_state["RUS"])


def test_no_match_key_holds_a_name_in_clear(cast: Cast, story: Story) -> None:
    _subject(cast, story, "Koffi Traoré", identifiers={"passport": "CI-445566"})
    stored = " ".join(value for (value,) in db.session.execute(select(MatchKey.digest)))
    assert "koffi" not in stored.casefold()
    assert "445566" not in stored


def test_the_index_can_be_rebuilt_for_rows_recorded_before_it(cast: Cast, story: Story) -> None:
    _subject(cast, story, "Koffi Traoré")
    db.session.execute(MatchKey.__table__.delete())
    assert matching.index_everything() == 1
    assert db.session.scalar(select(MatchKey.id).limit(1)) is not None
