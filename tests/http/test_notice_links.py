"""A notice stores what it points at; the edges link it to a page the site serves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask

from network.extensions import db
from network.http.notices import path_to
from network.notifications import reminders
from network.schemas.vocabularies import NoticeTarget
from tests.conftest import Cast, csrf_from
from tests.stories import open_freeze

EXAMPLE_IDS = {
    NoticeTarget.CASE: "7",
    NoticeTarget.CASE_TIMELINE: "7",
    NoticeTarget.STATE: "RUS",
    NoticeTarget.REQUEST: "3",
    NoticeTarget.MEASURE: "4",
    NoticeTarget.DISCLOSURE: "5",
    NoticeTarget.ASK: "6",
}


def test_every_notice_target_is_a_page_of_the_site(app: Flask) -> None:
    pages = app.url_map.bind("arnet.example")
    for target in NoticeTarget:
        endpoint, _values = pages.match(path_to(target, EXAMPLE_IDS[target]))
        assert endpoint.startswith("web_")


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(
    cast: Cast, api_as: Any, browser_as: Any
) -> None:
    freeze = open_freeze(cast, expires_on=date(2026, 3, 31))
    reminders.send_reminders(
        datetime(2026, 3, 24, 12, tzinfo=UTC), unread_interval=timedelta(hours=24)
    )
    db.session.commit()
    [notice] = api_as(cast.lea).get("/notifications").get_json()["items"]
    assert notice["link"] == f"/cases/{freeze.story.case.id}/timeline"
    browser = browser_as(cast.lea)
    token = csrf_from(browser.get("/notifications").text)
    opened = browser.post(
        f"/notifications/{notice['id']}/read", data={"csrf_token": token, "open": "1"}
    )
    assert opened.status_code == 302
    assert opened.headers["Location"] == notice["link"]
    assert api_as(cast.lea).get("/notifications?unread=true").get_json()["total"] == 0
