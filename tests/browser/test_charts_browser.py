"""Charts read in the page's direction: in Arabic the labels sit right of their bars."""

from __future__ import annotations

import pytest

from network.core import clock
from tests.conftest import PASSWORD, Cast
from tests.stories import open_freeze

pytestmark = pytest.mark.browser

# Every chart's boxes, in page pixels: its frame, its row labels and what it plots.
BOXES = """(index) => {
  const chart = document.querySelectorAll('svg.chart')[index];
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return {left: r.left, right: r.right};
  };
  return {
    frame: box(chart),
    labels: [...chart.querySelectorAll('.chart-label')].map(box),
    marks: [...chart.querySelectorAll('rect, circle')].map(box),
    texts: [...chart.querySelectorAll('text')].map(box),
  };
}"""


def signed_in(new_page, email: str, locale: str):
    page = new_page(locale=locale)
    page.goto("/auth/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    return page


def assert_inside(frame: dict, texts: list[dict]) -> None:
    for text in texts:
        assert frame["left"] - 1 <= text["left"], f"cut off on the left: {text} in {frame}"
        assert text["right"] <= frame["right"] + 1, f"cut off on the right: {text} in {frame}"


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_timeline_labels_sit_beside_their_bars_on_the_reading_side(
    cast: Cast, new_page, locale: str
) -> None:
    freeze = open_freeze(cast, now=clock.now())
    page = signed_in(new_page, cast.amina.email, locale)
    page.goto(f"/cases/{freeze.story.case.id}/timeline")
    boxes = page.evaluate(BOXES, 0)
    assert boxes["labels"]
    assert boxes["marks"]
    labels_left = min(label["left"] for label in boxes["labels"])
    labels_right = max(label["right"] for label in boxes["labels"])
    marks_left = min(mark["left"] for mark in boxes["marks"])
    marks_right = max(mark["right"] for mark in boxes["marks"])
    if locale == "ar":
        assert labels_left >= marks_right, "in Arabic every label sits right of the bars"
    else:
        assert labels_right <= marks_left, "in English every label sits left of the bars"
    assert_inside(boxes["frame"], boxes["texts"])


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_an_empty_chart_says_so_in_full(cast: Cast, new_page, locale: str) -> None:
    page = signed_in(new_page, cast.amina.email, locale)
    page.goto("/statistics")
    charts = page.locator("svg.chart")
    assert charts.count() >= 1
    for index in range(charts.count()):
        boxes = page.evaluate(BOXES, index)
        assert_inside(boxes["frame"], boxes["texts"])
