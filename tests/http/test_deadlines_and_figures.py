"""Calendar feed, deadlines and notifications API, dashboard, timeline, statistics, draft."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from docx import Document
from icalendar import Calendar

from network.assistance import read_models
from network.core.i18n import written_date
from network.disclosures import service as disclosures
from network.extensions import db
from network.notifications import reminders
from network.reporting import statistics
from tests.conftest import Cast, csrf_from
from tests.stories import Freeze, open_freeze, sent_request

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen_clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def freeze(cast: Cast, frozen_clock: Any) -> Freeze:
    """An order expiring 31 March and a request with a 20 March deadline, both with Switzerland."""
    made = open_freeze(cast, expires_on=date(2026, 3, 31), now=NOW - timedelta(days=30))
    sent_request(cast, made.story, NOW - timedelta(days=5), deadline_on=date(2026, 3, 20))
    return made


def feed_url(browser: Any) -> str:
    page = browser.get("/account/calendar")
    made = browser.post("/account/calendar", data={"csrf_token": csrf_from(page.text)})
    assert made.status_code == 200
    match = re.search(r'value="(https?://[^"]+\.ics)"', made.text)
    assert match is not None
    return match.group(1).split("127.0.0.1:5000", 1)[1]


def test_the_calendar_feed_parses_with_one_event_per_deadline_and_names_no_content(
    client: Any, cast: Cast, freeze: Freeze, browser_as: Any
) -> None:
    path = feed_url(browser_as(cast.amina))
    response = client.get(path)  # a calendar program: no cookie
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert sorted(event.decoded("dtstart") for event in events) == [
        date(2026, 3, 20), date(2026, 3, 31)
    ]
    summaries = " ".join(str(event.get("summary")) for event in events)
    assert "CIV-PNF-2024-17" in summaries
    assert "Port authority embezzlement" not in response.text


def test_a_revoked_or_regenerated_calendar_url_answers_404(
    client: Any, cast: Cast, freeze: Freeze, browser_as: Any
) -> None:
    browser = browser_as(cast.lea)
    first = feed_url(browser)
    second = feed_url(browser)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    page = browser.get("/account/calendar")
    browser.post("/account/calendar/revoke", data={"csrf_token": csrf_from(page.text)})
    assert client.get(second).status_code == 404
    assert client.get("/calendar/not-a-secret.ics").status_code == 404


def test_deadlines_api_lists_upcoming_and_lapsed_deadlines_of_the_callers_side_only(
    cast: Cast, freeze: Freeze, api_as: Any
) -> None:
    body = api_as(cast.lea).get("/deadlines?within_days=30").get_json()
    assert [(i["kind"], i["due_on"], i["urgency"]) for i in body["items"]] == [
        ("request_deadline", "2026-03-20", "soon"),
        ("measure_expiry", "2026-03-31", "later"),
    ]
    assert api_as(cast.lea).get("/deadlines?within_days=10").get_json()["total"] == 1
    assert api_as(cast.camille).get("/deadlines").get_json()["total"] == 0
    assert api_as(cast.lea).get("/deadlines?within_days=-1").status_code == 422
    assert api_as(cast.lea).get("/deadlines?within_days=soon").status_code == 422


def test_notifications_api_lists_and_marks_read_only_the_callers_own(
    cast: Cast, freeze: Freeze, api_as: Any
) -> None:
    reminders.send_reminders(NOW + timedelta(days=14), unread_interval=timedelta(hours=24))
    db.session.commit()
    lea = api_as(cast.lea)
    listing = lea.get("/notifications").get_json()
    assert listing["unread"] == listing["total"] >= 1
    first = listing["items"][0]
    assert "CIV-PNF-2024-17" in first["subject"]
    assert api_as(cast.amina).post(f"/notifications/{first['id']}/read").status_code == 404
    marked = lea.post(f"/notifications/{first['id']}/read").get_json()
    assert marked["read_at"] is not None
    assert lea.get("/notifications?unread=true").get_json()["total"] == listing["total"] - 1
    assert lea.post("/notifications/read-all").get_json()["marked"] == listing["total"] - 1
    assert lea.get("/notifications?per_page=0").status_code == 422


def test_the_dashboard_shows_deadlines_with_urgency_in_words_and_waiting_requests(
    cast: Cast, freeze: Freeze, browser_as: Any
) -> None:
    disclosures.send_disclosure(
        cast.amina, kind="spontaneous_56", to_state="CHE", summary="Funds seen in Zug", now=NOW
    )
    db.session.commit()
    page = browser_as(cast.lea).get("/").text
    assert "My deadlines in the next 30 days" in page
    assert "urgency-soon" in page
    assert "Within 14 days" in page
    assert "Requests waiting on my side" in page
    assert "CIV-PNF-2024-17" in page
    assert "From CIV" in page
    empty = browser_as(cast.chen).get("/").text
    assert "No deadline in the next 30 days." in empty
    assert "No new disclosures." in empty


def test_the_nav_shows_an_unread_badge_and_the_notifications_page_lists_them(
    cast: Cast, freeze: Freeze, browser_as: Any
) -> None:
    reminders.send_reminders(NOW + timedelta(days=14), unread_interval=timedelta(hours=24))
    db.session.commit()
    page = browser_as(cast.lea).get("/notifications").text
    assert re.search(r'class="badge"[^>]*>\s*\d+\s*</span>', page)
    assert "CIV-PNF-2024-17" in page


def test_the_case_timeline_is_an_accessible_svg_with_the_numbers_in_tables(
    cast: Cast, freeze: Freeze, browser_as: Any
) -> None:
    response = browser_as(cast.amina).get(f"/cases/{freeze.story.case.id}/timeline")
    assert response.status_code == 200
    page = response.text
    assert re.search(r'<svg[^>]+role="img"[^>]+aria-labelledby="timeline-\d+-title', page)
    assert "<title id=" in page
    assert "<desc id=" in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Mar 31, 2026" in page  # the lapse date, written for the reader's language
    assert "In force" in page
    assert browser_as(cast.chen).get(f"/cases/{freeze.story.case.id}/timeline").status_code == 404


def test_the_draft_request_docx_has_the_46_15_headings_filled_and_is_member_only(
    cast: Cast, freeze: Freeze, api_as: Any, browser_as: Any
) -> None:
    request_id = read_models.my_requests(cast.amina)[0].id
    response = api_as(cast.amina).get(f"/requests/{request_id}/draft.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for wanted in ("Requesting authority", "Subject and nature", "Summary of the relevant facts",
                   "Assistance sought", "Persons concerned", "Purpose of the request",
                   "Requirements of the requested State"):
        assert any(wanted in heading for heading in headings), wanted
    texts = [p.text for p in document.paragraphs]
    assert "Pôle pénal économique et financier, Abidjan" in texts
    assert api_as(cast.chen).get(f"/requests/{request_id}/draft.docx").status_code == 404
    web = browser_as(cast.lea).get(f"/requests/{request_id}/draft.docx")
    assert web.status_code == 200
    assert web.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("locale", "written"),
    [
        ("fr", "31 mars 2026"),
        ("ar", "31 مارس 2026"),
        ("zh", "2026年3月31日"),
        ("en", "Mar 31, 2026"),
    ],
)
def test_notices_calendars_and_drafts_write_dates_in_the_readers_language(
    cast: Cast, freeze: Freeze, client: Any, browser_as: Any, api_as: Any, locale: str, written: str
) -> None:
    cast.lea.locale = cast.amina.locale = locale
    db.session.commit()
    reminders.send_reminders(NOW + timedelta(days=14), unread_interval=timedelta(hours=24))
    db.session.commit()
    notices = api_as(cast.lea).get("/notifications").get_json()["items"]
    subjects = [notice["subject"] for notice in notices]
    assert any(written in subject for subject in subjects), subjects
    assert not any("2026-03-31" in subject for subject in subjects)

    feed = Calendar.from_ical(client.get(feed_url(browser_as(cast.amina))).data)
    descriptions = [str(event.get("description")) for event in feed.walk("VEVENT")]
    assert any(written in text for text in descriptions), descriptions
    assert not any("ends " in text for text in descriptions)

    request_id = read_models.my_requests(cast.amina)[0].id
    draft = browser_as(cast.amina).get(
        f"/requests/{request_id}/draft.docx", headers={"Accept-Language": locale}
    )
    cells = [cell.text for table in Document(io.BytesIO(draft.data)).tables for row in table.rows
             for cell in row.cells]
    assert "2026-03-20" not in cells
    assert written_date(date(2026, 3, 20), locale) in cells  # the deadline asked, for the reader


def test_a_states_statistics_page_shows_its_own_figures_with_chart_and_table(
    cast: Cast, freeze: Freeze, browser_as: Any
) -> None:
    page = browser_as(cast.amina).get("/statistics").text
    assert "Statistics of CIV" in page
    assert 'role="img"' in page
    assert '<th scope="row">CHE</th>' in page
    assert browser_as(cast.observer).get("/statistics").status_code == 403


def test_the_network_administrator_sees_aggregates_with_small_cells_suppressed(
    cast: Cast, freeze: Freeze, browser_as: Any
) -> None:
    page = browser_as(cast.secretariat).get("/statistics").text
    assert "Network statistics" in page
    assert "fewer than 3 cases" in page
    assert "CIV-PNF-2024-17" not in page
    assert "CHE" not in page
    stats = statistics.network_statistics(cast.secretariat, NOW)
    in_force = dict(stats.measures)["in_force"]
    assert in_force.suppressed
    assert in_force.cases == 1


def test_network_cells_resting_on_three_cases_are_shown(cast: Cast, frozen_clock: Any) -> None:
    for number in range(3):
        open_freeze(cast, now=NOW - timedelta(days=1), reference=f"CIV-{number}")
    stats = statistics.network_statistics(cast.secretariat, NOW)
    in_force = dict(stats.measures)["in_force"]
    assert in_force.value == 3
    assert not in_force.suppressed


def test_percentiles_interpolate_between_ranks() -> None:
    assert statistics.percentile([], 0.5) is None
    assert statistics.percentile([10.0], 0.9) == 10.0
    assert statistics.percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert statistics.percentile(list(map(float, range(1, 11))), 0.9) == pytest.approx(9.1)


def test_statistics_and_timeline_api_follow_the_same_rules_as_the_pages(
    cast: Cast, freeze: Freeze, api_as: Any
) -> None:
    own = api_as(cast.amina).get("/statistics")
    assert own.status_code == 200
    assert own.json["state"] == "CIV"
    assert [row["state"] for row in own.json["counterparts"]] == ["CHE"]
    assert api_as(cast.observer).get("/statistics").status_code == 403

    network = api_as(cast.secretariat).get("/statistics/network")
    assert network.status_code == 200
    in_force = next(row for row in network.json["measures"] if row["outcome"] == "in_force")
    assert in_force["count"] == {"value": None, "suppressed": True}
    assert "CHE" not in network.text
    assert "CIV-PNF-2024-17" not in network.text
    assert api_as(cast.amina).get("/statistics/network").status_code == 403

    case_id = freeze.story.case.id
    timeline = api_as(cast.lea).get(f"/cases/{case_id}/timeline")
    assert timeline.status_code == 200
    assert timeline.json["measures"][0]["expires_on"] == "2026-03-31"
    assert timeline.json["measures"][0]["status"] == "in_force"
    for outsider in (cast.chen, cast.observer, cast.secretariat):
        assert api_as(outsider).get(f"/cases/{case_id}/timeline").status_code == 404
