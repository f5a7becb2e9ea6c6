"""No N+1: the statements a page or an API call runs do not grow with the data it shows.

Each read is made twice, once over a small data set and once over five times as much
(more cases, messages, orders or directory entries on the page), and must run the same
number of SQL statements both times, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from network.cases import opening
from network.cases.models import Channel
from network.core import clock
from network.directory.authorities import create_authority
from network.directory.focal_points import create_focal_point
from network.extensions import db
from network.messages import posting
from network.recovery import assets, measures
from network.schemas.vocabularies import Stage
from tests.conftest import Cast, sign_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

SMALL, LARGE = 5, 25


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """The SQL statements run inside the block, as the driver receives them."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def statements(app: Flask, call: Callable[[], Any]) -> int:
    """Statements of one call, made once before so that once-a-minute writes are done."""
    call()
    with counted(app) as seen:
        response = call()
    assert response.status_code == 200, response.text
    return len(seen)


def _open_cases(cast: Cast, count: int) -> list[Channel]:
    """Aminata opens ``count`` cases toward Switzerland; Léa writes once in each, freezes."""
    now = clock.now()
    channels = []
    for number in range(count):
        case = opening.open_case(
            cast.amina,
            title=f"Case {number}",
            summary="",
            reference=f"CIV-{number}",
            requested_states=["CHE"],
            counterparts=[cast.lea.id],
            now=now,
        )
        channel = db.session.scalars(db.select(Channel).filter_by(case_id=case.id)).one()
        posting.post_message(cast.lea, channel.id, client_id=f"c-{number}", body="Hi", now=now)
        asset = assets.record_asset(
            cast.lea,
            case.id,
            kind="bank_account",
            location_state="CHE",
            estimated_value="1000.00",
            currency="CHF",
            description="An account",
            now=now,
        )
        measures.record_measure(
            cast.lea,
            case.id,
            kind="freezing",
            asset_ids=[asset.id],
            issuing_authority="Ministère public",
            issuing_state="CHE",
            legal_basis="54_2_b",
            effective_on=now.date() - timedelta(days=1),
            expires_on=now.date() + timedelta(days=10 + number),
            now=now,
        )
        channels.append(channel)
    db.session.commit()
    return channels


def _post(cast: Cast, channel: Channel, first: int, last: int) -> None:
    """Messages ``first`` to ``last`` (excluded), from Aminata and Léa in turn."""
    now = clock.now()
    for number in range(first, last):
        sender = cast.amina if number % 2 else cast.lea
        posting.post_message(sender, channel.id, client_id=f"m-{number}", body="Hi", now=now)
    db.session.commit()


def _focal_points(count: int, first: int = 0) -> None:
    now = clock.now()
    authority = create_authority(
        None, "CHE", {"name": f"Office {first}", "kind": "prosecution"}, now=now
    )
    for number in range(first, first + count):
        create_focal_point(None, {"authority_id": authority.id, "name": f"Kone {number}"}, now=now)
    db.session.commit()


def _grown(measure: Callable[[], int], grow: Callable[[], None]) -> tuple[int, int]:
    small = measure()
    grow()
    return small, measure()


def test_the_case_list_and_one_case_run_as_many_statements_for_25_cases_as_for_5(
    app: Flask, cast: Cast, api_as: Any
) -> None:
    api = api_as(cast.amina)
    channels = _open_cases(cast, SMALL)

    def case_list() -> int:
        return statements(app, lambda: api.get("/cases", query_string={"per_page": 50}))

    def one_case() -> int:
        return statements(app, lambda: api.get(f"/cases/{channels[0].case_id}"))

    small = (case_list(), one_case())
    _open_cases(cast, LARGE - SMALL)
    assert (case_list(), one_case()) == small


def _colleagues_move_the_stage(cast: Cast, case_id: int, first: int, last: int) -> None:
    """Colleagues ``first`` to ``last`` (excluded) join Aminata's side, each moving the stage."""
    from network.cases import team
    from tests.conftest import make_user

    stages = [Stage.FORMAL_REQUEST.value, Stage.PROVISIONAL_MEASURES.value]
    for number in range(first, last):
        colleague = make_user(f"colleague{number}@civ.example", f"Colleague {number}",
                              "practitioner", "CIV")
        team.add_team_member(cast.amina, case_id, colleague.id, clock.now())
        opening.change_stage(colleague, case_id, stages[number % 2], f"Step {number}",
                             clock.now())
    db.session.commit()


def test_one_case_runs_as_many_statements_for_a_team_and_history_of_12_as_of_3(
    app: Flask, cast: Cast, api_as: Any
) -> None:
    """Each teammate and each stage change has its own person: loaded with their rows."""
    api = api_as(cast.amina)
    [channel] = _open_cases(cast, 1)
    case_id = channel.case_id
    _colleagues_move_the_stage(cast, case_id, 0, 3)

    def one_case() -> int:
        return statements(app, lambda: api.get(f"/cases/{case_id}"))

    small, large = _grown(one_case, lambda: _colleagues_move_the_stage(cast, case_id, 3, 12))
    assert small == large
    case = api.get(f"/cases/{case_id}").json
    assert len(case["stage_history"]) == 13
    assert len(case["team"]) == 14


def test_a_deadline_page_runs_as_many_statements_for_25_orders_as_for_5(
    app: Flask, cast: Cast, api_as: Any
) -> None:
    """A page of 3 among 5 and among 25 orders: the rest stay in the database's answer."""
    api = api_as(cast.lea)
    _open_cases(cast, SMALL)
    query = {"within_days": 60, "per_page": 3, "page": 2}

    def page() -> int:
        return statements(app, lambda: api.get("/deadlines", query_string=query))

    small, large = _grown(page, lambda: _open_cases(cast, LARGE - SMALL))
    assert small == large
    answer = api.get("/deadlines", query_string=query).json
    assert (len(answer["items"]), answer["total"], answer["page"]) == (3, LARGE, 2)
    everything = api.get("/deadlines", query_string={"within_days": 60}).json["items"]
    assert answer["items"] == everything[3:6]


def test_the_case_list_page_runs_as_many_statements_for_25_cases_as_for_5(
    app: Flask, cast: Cast, client: FlaskClient
) -> None:
    sign_in(client, cast.amina)
    _open_cases(cast, SMALL)
    small, large = _grown(
        lambda: statements(app, lambda: client.get("/cases")),
        lambda: _open_cases(cast, LARGE - SMALL),
    )
    assert small == large


def test_the_deadline_list_runs_as_many_statements_for_25_orders_as_for_5(
    app: Flask, cast: Cast, api_as: Any
) -> None:
    api = api_as(cast.lea)
    _open_cases(cast, SMALL)

    def deadlines() -> int:
        return statements(app, lambda: api.get("/deadlines", query_string={"within_days": 60}))

    small, large = _grown(deadlines, lambda: _open_cases(cast, LARGE - SMALL))
    assert small == large
    assert len(api.get("/deadlines", query_string={"within_days": 60}).json["items"]) == LARGE


def test_a_message_page_runs_as_many_statements_for_25_messages_as_for_5(
    app: Flask, cast: Cast, api_as: Any
) -> None:
    api = api_as(cast.amina)
    channel = _open_cases(cast, 1)[0]
    _post(cast, channel, 0, SMALL)

    def page() -> int:
        return statements(
            app,
            lambda: api.get(
                f"/channels/{channel.id}/messages", query_string={"after_seq": 0, "limit": 50}
            ),
        )

    small, large = _grown(page, lambda: _post(cast, channel, SMALL, LARGE))
    assert small == large


def test_directory_search_runs_as_many_statements_for_25_hits_as_for_5(
    app: Flask, cast: Cast, api_as: Any
) -> None:
    api = api_as(cast.lea)
    _focal_points(SMALL)

    def search() -> int:
        return statements(app, lambda: api.get("/search", query_string={"q": "Kone"}))

    small, large = _grown(search, lambda: _focal_points(LARGE - SMALL, first=SMALL))
    assert small == large
    assert api.get("/search", query_string={"q": "Kone"}).json["total"] >= LARGE


def test_the_directory_search_page_runs_as_many_statements_for_125_hits_as_for_25(
    app: Flask, cast: Cast, client: FlaskClient
) -> None:
    """Hits ranked past the shown page (20 of 125) are never loaded, nor are library hits."""
    sign_in(client, cast.lea)
    _focal_points(25)

    def page(number: int) -> int:
        return statements(app, lambda: client.get(f"/directory?q=Kone&page={number}"))

    def pages() -> list[int]:
        return [page(1), page(2)]

    small = pages()
    _focal_points(100, first=25)
    assert pages() == small
    assert "Kone 124" in client.get("/directory?q=Kone+124").text


def _linked(cast: Cast, case_id: int, first: int, last: int) -> None:
    """Subjects ``first`` to ``last`` (excluded), each holding an account frozen on a request."""
    from network.assistance import requests
    from network.recovery import holdings, subjects

    now = clock.now()
    for number in range(first, last):
        company = subjects.record_subject(
            cast.lea, case_id, kind="legal", names=[f"Company {number}"], now=now
        )
        owner = subjects.record_subject(
            cast.lea, case_id, kind="natural", names=[f"Owner {number}"], now=now
        )
        asset = assets.record_asset(
            cast.lea, case_id, kind="bank_account", location_state="CHE", holder=company.id,
            identifiers={"IBAN": f"CH93 0076 2011 6238 {number:05d}"}, now=now,
        )
        holdings.link_holder(
            cast.lea, asset.id, subject=owner.id, kind="beneficial_owner", via=company.id,
            now=now,
        )
        request = requests.create_request(
            cast.amina, case_id, kind="freezing", requested_state="CHE", legal_basis="uncac",
            transmission_channel="central_authority", now=now,
        )
        measures.record_measure(
            cast.lea, case_id, kind="freezing", asset_ids=[asset.id],
            issuing_authority="Ministère public", issuing_state="CHE", legal_basis="54_2_b",
            effective_on=now.date(), expires_on=now.date() + timedelta(days=30),
            request_id=request.id, now=now,
        )
    db.session.commit()


def test_the_link_tree_runs_as_many_statements_for_25_subjects_as_for_5(
    app: Flask, cast: Cast, api_as: Any, client: FlaskClient
) -> None:
    api = api_as(cast.amina)
    sign_in(client, cast.amina)
    [channel] = _open_cases(cast, 1)
    [other] = _open_cases(cast, 1)
    case_id = channel.case_id
    # The same names in another case of the State: every subject and account has a match.
    _linked(cast, other.case_id, 0, LARGE)
    _linked(cast, case_id, 0, SMALL)

    def both() -> tuple[int, int]:
        return (
            statements(app, lambda: api.get(f"/cases/{case_id}/links")),
            statements(app, lambda: client.get(f"/cases/{case_id}/tracking/links")),
        )

    small, large = _grown(both, lambda: _linked(cast, case_id, SMALL, LARGE))
    assert small == large
    tree = api.get(f"/cases/{case_id}/links").json
    assert len(tree["subjects"]) == 2 * LARGE
    assert all(subject["matches"] for subject in tree["subjects"])


def test_a_rest_post_and_a_page_of_50_run_a_fixed_number_of_statements(
    app: Flask, cast: Cast, api_as: Any
) -> None:
    """Token, channel with membership, then the work itself: nothing per message or member.

    A post: its seq, its insert and the audit chain's tail and record. A page: the
    messages with their senders, their attachments, and the audited read (the chain's lock,
    tail and record). The channel's last seq comes with the access check, not from loading
    the channel's members.
    """
    api = api_as(cast.amina)
    channel = _open_cases(cast, 1)[0]
    _post(cast, channel, 0, SMALL)
    posted = iter(range(10_000))

    def post() -> Any:
        answer = api.post(
            f"/channels/{channel.id}/messages",
            json={"client_id": f"rest-{next(posted)}", "body": "Hi", "handling_code": "H1"},
        )
        assert answer.status_code == 201, answer.text
        answer.status_code = 200  # ``statements`` expects a 200
        return answer

    def page() -> Any:
        return api.get(
            f"/channels/{channel.id}/messages", query_string={"after_seq": 0, "limit": 50}
        )

    def both() -> tuple[int, int]:
        return statements(app, post), statements(app, page)

    small, large = _grown(both, lambda: _post(cast, channel, SMALL, LARGE))
    assert small == large
    # PostgreSQL takes the audit chain's advisory lock and reads its tail in one round trip;
    # SQLite's write lock is already held by a post's seq update, but a read must take it.
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
    assert large == ((6, 7) if sqlite else (6, 6))
    # Léa's first message, the posted ones, and the four posts measured.
    assert len(page().json["items"]) == 1 + LARGE + 4


def test_the_notice_list_binds_as_many_values_for_25_cases_as_for_5(
    app: Flask, cast: Cast, api_as: Any
) -> None:
    """Which cases a notice may still show is a subquery, not one bound value per case.

    A member of tens of thousands of cases (the benchmark's counterpart) would otherwise
    pass more values than a statement may carry, and every notice pushed to them failed.
    """
    api = api_as(cast.lea)

    def bound() -> int:
        values: list[int] = []

        def note(_conn: Any, _cursor: Any, _statement: str, parameters: Any, *_: Any) -> None:
            values.append(len(parameters) if parameters else 0)

        api.get("/notifications")
        event.listen(db.engine, "before_cursor_execute", note)
        try:
            answer = api.get("/notifications")
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
        assert answer.status_code == 200, answer.text
        return sum(values)

    _open_cases(cast, SMALL)
    small, large = _grown(bound, lambda: _open_cases(cast, LARGE - SMALL))
    assert small == large
