"""The request page files the signed request, and the other party finds it there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from network.assistance import requests
from network.core import clock
from network.extensions import db
from tests.browser.conftest import PHONE
from tests.browser.test_state_picker_browser import signed_in
from tests.conftest import Cast
from tests.stories import open_story

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_at_phone_width_the_signed_request_is_filed_and_the_other_side_sees_it(
    cast: Cast, new_page, locale: str, tmp_path
) -> None:
    story = open_story(cast)
    request = requests.create_request(
        cast.amina, story.case.id, kind="mla", requested_state="CHE", legal_basis="uncac",
        transmission_channel="central_authority", now=clock.now(),
    )
    db.session.commit()
    amina = signed_in(new_page, cast.amina.email, locale, viewport=PHONE)
    amina.goto(f"/requests/{request.id}")

    amina.select_option("#document-kind", "signed_request")
    amina.set_input_files(
        "#document-file",
        files=[{"name": "requête signée.pdf", "mimeType": "application/pdf",
                "buffer": b"%PDF-1.7 signed"}],
    )
    amina.locator("form.document-upload button[type=submit]").click()

    expect(amina.locator(".document-list li")).to_have_count(1)
    expect(amina.locator(".document-list li a")).to_have_text("requête signée.pdf")
    assert amina.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    amina.locator("#documents").screenshot(path=tmp_path / f"documents-{locale}.png")
    lea = signed_in(new_page, cast.lea.email, locale, viewport=PHONE)
    lea.goto(f"/requests/{request.id}")
    expect(lea.locator(".document-list li a")).to_have_text("requête signée.pdf")
    # The requested side files annexes; the signed request is the requesting side's.
    expect(lea.locator("#document-kind option")).to_have_count(1)
