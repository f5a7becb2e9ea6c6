"""A case in the browser: a third State is refused; a file crosses the channel unchanged."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.browser.test_case_workspace_browser import open_workspace
from tests.browser.test_sign_in_browser import fill_password
from tests.conftest import PASSWORD, Cast
from tests.realtime.conftest import Story, story  # noqa: F401 - the shared case story

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def site_origin_allowed(live_server: str) -> None:
    """The origin list is fixed when Socket.IO starts; the live server's port is known only now."""
    from network.extensions import socketio

    socketio.server.eio.cors_allowed_origins = [live_server]


def test_a_user_of_a_third_state_gets_not_found_on_the_case_pages(
    cast: Cast, story: Story, new_page  # noqa: F811
) -> None:
    page = new_page()
    fill_password(page, cast.chen.email, PASSWORD)
    page.wait_for_url("**/")
    for url in (f"/cases/{story.case_id}", f"/cases/{story.case_id}/tracking"):
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 404, url
        assert "Villa in Geneva" not in page.content()
        assert page.get_by_role("heading", level=1).is_visible()
    # Not even the channel's files or messages through the API, with the browser's session.
    api = page.request.get(f"/api/v1/channels/{story.che_channel}/messages")
    assert api.status in (403, 404)
    assert "Villa in Geneva" not in page.goto("/cases").text()


def test_an_attachment_uploaded_by_one_side_downloads_identical_on_the_other(
    cast: Cast, story: Story, new_page, tmp_path: Path  # noqa: F811
) -> None:
    original = tmp_path / "bank-statement.pdf"
    original.write_bytes(b"%PDF-1.4\n" + os.urandom(64_000))
    expected = hashlib.sha256(original.read_bytes()).hexdigest()
    lea = open_workspace(new_page, cast.lea, story.case_id)
    amina = open_workspace(new_page, cast.amina, story.case_id)

    lea.set_input_files("#attachment-files", str(original))
    lea.get_by_label("Message", exact=True).fill("Statement attached")
    lea.get_by_role("button", name="Send").click()

    link = amina.locator("#messages .attachments a", has_text="bank-statement.pdf")
    link.wait_for()
    shown = amina.locator("#messages .message", has_text="Statement attached").inner_text()
    assert expected in shown  # the SHA-256 the recipient can check against
    with amina.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "bank-statement.pdf"
    received = tmp_path / "received.pdf"
    download.save_as(received)
    assert hashlib.sha256(received.read_bytes()).hexdigest() == expected
