"""Downloads keep their own sandbox policy; the site-wide policy must not replace it."""

from __future__ import annotations

import io
from typing import Any

import pytest

from network.core import clock
from tests.conftest import Cast
from tests.stories import open_story, sent_request

SANDBOX = {"default-src 'none'", "sandbox"}


def directives(response: Any) -> set[str]:
    """The Content-Security-Policy of an answer, as a set of directives."""
    policy = response.headers.get("Content-Security-Policy", "")
    return {" ".join(part.split()) for part in policy.split(";") if part.strip()}


@pytest.fixture
def downloads(cast: Cast, api_as: Any) -> dict[str, str]:
    """An attachment sent in Léa's channel, and a request whose draft she may download."""
    story = open_story(cast)
    amina = api_as(cast.amina)
    uploaded = amina.post(
        f"/channels/{story.che.id}/attachments",
        data={"file": (io.BytesIO(b"<script>alert(1)</script>"), "page.html")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.get_json()["id"]
    sent = amina.post(
        f"/channels/{story.che.id}/messages",
        json={"client_id": "c-1", "body": "See", "handling_code": "H0",
              "attachment_ids": [attachment]},
    )
    assert sent.status_code == 201, sent.text
    request = sent_request(cast, story, clock.now())
    return {
        "attachment": f"/api/v1/attachments/{attachment}",
        "draft": f"/api/v1/requests/{request.id}/draft.docx",
        "draft page": f"/requests/{request.id}/draft.docx",
    }


@pytest.mark.parametrize("download", ["attachment", "draft"])
def test_an_api_download_is_served_in_a_sandbox(
    cast: Cast, api_as: Any, downloads: dict[str, str], download: str
) -> None:
    response = api_as(cast.lea).client.get(
        downloads[download], headers=api_as(cast.lea).headers
    )

    assert response.status_code == 200, response.text
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert directives(response) == SANDBOX


@pytest.mark.parametrize("download", ["attachment", "draft", "draft page"])
def test_a_download_in_the_browser_is_served_in_a_sandbox(
    cast: Cast, browser_as: Any, downloads: dict[str, str], download: str
) -> None:
    response = browser_as(cast.lea).get(downloads[download])

    assert response.status_code == 200, response.text
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert directives(response) == SANDBOX


def test_pages_keep_the_site_policy(cast: Cast, browser_as: Any) -> None:
    response = browser_as(cast.lea).get("/cases")

    assert "default-src 'self'" in directives(response)
    assert "sandbox" not in directives(response)
