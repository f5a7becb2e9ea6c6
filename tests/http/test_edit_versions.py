"""Edits carry the version they were made from: ETag and If-Match in the API, a hidden field
in the pages; an edit from a replaced version writes nothing and says who changed the record."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from network.audit.models import AuditRecord
from network.cases import team
from network.core import clock
from network.directory.models import Authority
from network.extensions import db
from tests.conftest import Cast, csrf_from, make_user
from tests.http.test_tracking_api import _tracked_case

if TYPE_CHECKING:
    from tests.directory_fixtures import SmallDirectory

pytest_plugins = ["tests.directory_fixtures"]
pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _version(tag: str) -> int:
    """The version an ETag names: '"7"' is 7."""
    assert re.fullmatch(r'"\d+"', tag), tag
    return int(tag[1:-1])


def _form_version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found is not None, "the form carries no version"
    return found.group(1)


def _audit_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditRecord)) or 0


def _refused_as_stale(response: Any, by: str) -> None:
    """A 412 in the API's error shape that names who changed the record since."""
    assert response.status_code == 412, response.json
    body = response.get_json()
    assert set(body) == {"code", "reason", "message", "errors"}
    assert body["reason"] == "stale_edit"
    assert body["message"].startswith(f"Changed by {by} at ")
    assert body["message"].endswith(" since you opened it.")
    assert body["errors"]["changed_by"] == [by]
    assert body["errors"]["changed_at"]


def test_an_authority_is_edited_from_its_etag_and_a_stale_one_writes_nothing(
    small_directory: SmallDirectory, api_as
) -> None:
    yao = api_as(small_directory.cast.yao)
    url = f"/authorities/{small_directory.civ_mla.id}"
    tag = yao.get(url).headers["ETag"]

    saved = yao.patch(url, json={"name": "Autorité centrale"}, headers={"If-Match": tag})
    assert saved.status_code == 200, saved.json
    assert _version(saved.headers["ETag"]) > _version(tag)
    assert yao.get(url).headers["ETag"] == saved.headers["ETag"]

    before = _audit_rows()
    stale = yao.patch(url, json={"name": "Écrasée"}, headers={"If-Match": tag})
    _refused_as_stale(stale, "Yao Kouassi")
    assert _audit_rows() == before
    db.session.expire_all()
    assert db.session.get(Authority, small_directory.civ_mla.id).name == "Autorité centrale"


def test_of_concurrent_edits_from_one_version_exactly_one_is_saved(
    small_directory: SmallDirectory, api_as
) -> None:
    editors = [api_as(small_directory.cast.yao) for _ in range(4)]
    url = f"/authorities/{small_directory.civ_mla.id}"
    tag = editors[0].get(url).headers["ETag"]
    start = threading.Barrier(len(editors))
    statuses: list[int] = []

    def edit(index: int) -> None:
        start.wait()
        answer = editors[index].patch(url, json={"name": f"N{index}"}, headers={"If-Match": tag})
        statuses.append(answer.status_code)

    threads = [threading.Thread(target=edit, args=(index,)) for index in range(len(editors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 412, 412, 412]
    updates = select(func.count()).where(AuditRecord.action == "directory.authority.updated")
    assert db.session.scalar(updates) == 1


def test_without_if_match_or_with_a_star_an_edit_applies_to_the_current_version(
    small_directory: SmallDirectory, api_as
) -> None:
    yao = api_as(small_directory.cast.yao)
    url = f"/focal-points/{small_directory.civ_person.id}"
    opened = _version(yao.get(url).headers["ETag"])
    unnamed = yao.patch(url, json={"title": "Magistrate"})
    assert unnamed.status_code == 200, unnamed.json
    assert _version(unnamed.headers["ETag"]) > opened
    starred = yao.patch(url, json={"title": "Judge"}, headers={"If-Match": "*"})
    assert starred.status_code == 200, starred.json
    current = starred.headers["ETag"]
    assert _version(current) > _version(unnamed.headers["ETag"])
    weak = yao.patch(url, json={"title": "Clerk"}, headers={"If-Match": f"W/{current}"})
    assert weak.status_code == 412
    assert yao.get(url).json["title"] == "Judge"


def test_a_states_facts_are_edited_from_their_etag(small_directory: SmallDirectory, api_as):
    secretariat = api_as(small_directory.cast.secretariat)
    tag = secretariat.get("/states/CIV").headers["ETag"]
    saved = secretariat.patch("/states/CIV", json={"region": "african"}, headers={"If-Match": tag})
    assert saved.status_code == 200, saved.json
    assert saved.headers["ETag"] != tag
    stale = secretariat.patch("/states/CIV", json={"region": "weog"}, headers={"If-Match": tag})
    _refused_as_stale(stale, "Secretariat")
    assert secretariat.get("/states/CIV").json["region"] == "african"


def test_who_changed_the_record_is_told_in_the_readers_language_and_time_zone(
    small_directory: SmallDirectory, api_as
) -> None:
    yao = small_directory.cast.yao
    yao.locale, yao.time_zone = "fr", "Asia/Tokyo"
    db.session.commit()
    client = api_as(yao)
    url = f"/authorities/{small_directory.civ_mla.id}"
    tag = client.get(url).headers["ETag"]
    saved = client.patch(url, json={"name": "Autorité A"}, headers={"If-Match": tag})
    assert saved.status_code == 200
    stale = client.patch(url, json={"name": "Autorité B"}, headers={"If-Match": tag})
    assert stale.status_code == 412
    message = stale.json["message"]
    assert message.startswith("Modifié par Yao Kouassi le ")
    assert message.endswith(" depuis que vous l'avez ouvert.")
    changed_at = datetime.fromisoformat(stale.json["errors"]["changed_at"][0])
    assert changed_at.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M:%S") in message


def test_an_observer_body_is_renamed_from_the_version_its_list_gives(cast: Cast, api_as) -> None:
    secretariat = api_as(cast.secretariat)
    body = secretariat.get("/directory/observer-bodies").json["items"][0]
    url, seen = f"/directory/observer-bodies/{body['id']}", f'"{body["version"]}"'
    renamed = secretariat.patch(url, json={"name": "Renamed"}, headers={"If-Match": seen})
    assert renamed.status_code == 200, renamed.json
    assert _version(renamed.headers["ETag"]) == renamed.json["version"] > body["version"]
    stale = secretariat.patch(url, json={"name": "Again"}, headers={"If-Match": seen})
    _refused_as_stale(stale, "Secretariat")
    assert secretariat.get("/directory/observer-bodies").json["items"][0]["name"] == "Renamed"


@pytest.mark.parametrize(
    ("record", "editor", "change", "shown"),
    [
        ("request", "amina", {"reference": "CIV-1"}, "reference"),
        ("asset", "amina", {"description": "Savings account"}, "description"),
        ("measure", "lea", {"order_reference": "MPC-7"}, "order_reference"),
    ],
)
def test_a_case_record_is_edited_from_its_etag_and_a_stale_one_writes_nothing(
    cast: Cast, api_as, record: str, editor: str, change: dict[str, str], shown: str
) -> None:
    _story, ids = _tracked_case(cast, api_as)
    client = api_as(getattr(cast, editor))
    url = f"/{record}s/{ids[record]}"
    tag = client.get(url).headers["ETag"]

    saved = client.patch(url, json=change, headers={"If-Match": tag})
    assert saved.status_code == 200, saved.json
    assert _version(saved.headers["ETag"]) > _version(tag)

    before = _audit_rows()
    stale = client.patch(url, json={shown: "overwritten"}, headers={"If-Match": tag})
    _refused_as_stale(stale, getattr(cast, editor).name)
    assert _audit_rows() == before
    assert client.get(url).json[shown] == change[shown]


def test_a_case_is_edited_from_its_etag_whether_a_reference_or_a_stage(
    cast: Cast, api_as
) -> None:
    story, _ids = _tracked_case(cast, api_as)
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    url = f"/cases/{story.case.id}"
    tag = amina.get(url).headers["ETag"]

    set_reference = lea.patch(url, json={"reference": "CHE-MPC-9"}, headers={"If-Match": tag})
    assert set_reference.status_code == 200, set_reference.json
    assert _version(set_reference.headers["ETag"]) > _version(tag)
    before = _audit_rows()
    stale = amina.patch(
        url, json={"stage": "formal_request", "reason": "Sent"}, headers={"If-Match": tag}
    )
    _refused_as_stale(stale, cast.lea.name)
    assert _audit_rows() == before
    assert amina.get(url).json["stage"] == "informal_consultation"
    fresh = amina.get(url).headers["ETag"]
    moved = amina.patch(
        url, json={"stage": "formal_request", "reason": "Sent"}, headers={"If-Match": fresh}
    )
    assert moved.status_code == 200, moved.json


def test_a_consultation_is_noted_from_its_orders_etag(cast: Cast, api_as) -> None:
    _story, ids = _tracked_case(cast, api_as)
    lea = api_as(cast.lea)
    invited = lea.post(
        f"/measures/{ids['measure']}/consultations",
        json={
            "invited_on": clock.now().date().isoformat(),
            "deadline_on": (clock.now().date() + timedelta(days=14)).isoformat(),
        },
    )
    assert invited.status_code == 201, invited.json
    consultation = invited.json["consultations"][0]["id"]
    url = f"/measures/{ids['measure']}/consultations/{consultation}"
    tag = lea.get(f"/measures/{ids['measure']}").headers["ETag"]

    noted = lea.patch(url, json={"decision": "keep"}, headers={"If-Match": tag})
    assert noted.status_code == 200, noted.json
    assert _version(noted.headers["ETag"]) > _version(tag)
    stale = lea.patch(url, json={"decision": "lift"}, headers={"If-Match": tag})
    _refused_as_stale(stale, cast.lea.name)
    assert lea.get(f"/measures/{ids['measure']}").json["consultations"][0]["decision"] == "keep"


def test_the_second_of_two_authority_forms_is_told_who_saved_first(
    small_directory: SmallDirectory, browser_as
) -> None:
    adjoua = make_user("adjoua@civ.example", "Adjoua Bamba", "national_admin", "CIV")
    db.session.commit()
    civ = small_directory.civ_mla.id
    first, second = browser_as(small_directory.cast.yao), browser_as(adjoua)
    url = f"/directory/authorities/{civ}/edit"
    forms = [first.get(url).text, second.get(url).text]
    opened = _form_version(forms[0])
    assert _form_version(forms[1]) == opened
    data = {
        "kind": "mla_central_authority",
        "time_zone": "Africa/Abidjan",
        "office_days": "12345",
        "opens_at": "08:00",
        "closes_at": "16:00",
        "status": "active",
        "version": opened,
    }
    saved = first.post(
        url, data={**data, "name": "Autorité de Yao", "csrf_token": csrf_from(forms[0])}
    )
    assert saved.status_code == 302

    before = _audit_rows()
    refused = second.post(
        url, data={**data, "name": "Autorité d'Adjoua", "csrf_token": csrf_from(forms[1])}
    )
    assert refused.status_code == 412
    assert "Changed by Yao Kouassi at " in refused.text
    assert "since you opened it." in refused.text
    assert "Autorité d&#39;Adjoua" in refused.text  # what the second typed, shown again
    assert _form_version(refused.text) == _form_version(first.get(url).text)  # now current
    assert _audit_rows() == before
    db.session.expire_all()
    assert db.session.get(Authority, civ).name == "Autorité de Yao"


def test_a_country_profile_is_revised_from_the_version_its_etag_names(
    small_directory: SmallDirectory, api_as, browser_as
) -> None:
    yao = api_as(small_directory.cast.yao)
    first = yao.post("/states/CIV/profile", json={"note": "first"}, headers={"If-Match": '"0"'})
    assert first.status_code == 201, first.json
    assert first.headers["ETag"] == '"1"'
    assert yao.get("/states/CIV/profile").headers["ETag"] == '"1"'
    stale = yao.post("/states/CIV/profile", json={"note": "again"}, headers={"If-Match": '"0"'})
    _refused_as_stale(stale, "Yao Kouassi")
    assert yao.get("/states/CIV/profile/versions").json["total"] == 1

    adjoua = make_user("adjoua@civ.example", "Adjoua Bamba", "national_admin", "CIV")
    db.session.commit()
    hers = browser_as(adjoua)
    form = hers.get("/directory/states/CIV/profile/edit").text
    assert _form_version(form) == "1"
    second = yao.post("/states/CIV/profile", json={"note": "second"}, headers={"If-Match": '"1"'})
    assert second.status_code == 201
    refused = hers.post(
        "/directory/states/CIV/profile/edit",
        data={"note": "zebra note", "version": "1", "csrf_token": csrf_from(form)},
    )
    assert refused.status_code == 412
    assert "Changed by Yao Kouassi at " in refused.text
    assert "zebra note" in refused.text
    assert _form_version(refused.text) == "2"
    assert yao.get("/states/CIV/profile/versions").json["total"] == 2


def test_the_second_of_two_request_forms_is_told_who_saved_first(cast: Cast, api_as, browser_as):
    story, ids = _tracked_case(cast, api_as)
    kofi = make_user("kofi@civ.example", "Kofi Yeboah", "practitioner", "CIV")
    team.add_team_member(cast.amina, story.case.id, kofi.id, clock.now())
    db.session.commit()
    first, second = browser_as(cast.amina), browser_as(kofi)
    page = f"/requests/{ids['request']}"
    forms = [first.get(page).text, second.get(page).text]
    opened = _form_version(forms[1])
    saved = first.post(
        f"{page}/contents",
        data={"contents.purpose": "Trace", "version": opened, "csrf_token": csrf_from(forms[0])},
    )
    assert saved.status_code == 302

    refused = second.post(
        f"{page}/contents",
        data={"contents.purpose": "Seize", "version": opened, "csrf_token": csrf_from(forms[1])},
    )
    assert refused.status_code == 412
    assert "Changed by Aminata Koné at " in refused.text
    assert ">Seize</textarea>" in refused.text
    assert api_as(cast.amina).get(page).json["contents"]["purpose"] == "Trace"
    updates = select(func.count()).where(AuditRecord.action == "request.updated")
    assert db.session.scalar(updates) == 1


def test_a_write_that_lost_a_race_to_the_version_counter_answers_409(app, cast: Cast, api_as):
    def lost_race() -> None:
        raise StaleDataError("UPDATE statement on table 'assets' expected to update 1 row(s)")

    app.add_url_rule("/api/v1/test-lost-race", "test_lost_race", lost_race, methods=["POST"])
    answer = api_as(cast.amina).post("/test-lost-race")
    assert answer.status_code == 409
    assert answer.json["message"].startswith("Someone changed this record at the same moment.")
