"""The channel REST API: messages, read positions, observers and attachments, members only."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from network.extensions import db
from network.messages.models import Attachment
from tests.conftest import Cast, csrf_from
from tests.stories import Story, open_story, removed_member

MISSING = 987_654


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"MESSAGE_MAX_BYTES": 1024, "ATTACHMENT_MAX_BYTES": 200_000}


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast)


@pytest.fixture
def folder(app: Flask) -> Path:
    return Path(app.config["ATTACHMENT_DIR"])


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _message(client_id: str = "c-1", body: str = "Hello", **extra: Any) -> dict[str, Any]:
    return {"client_id": client_id, "body": body, "handling_code": "H0", **extra}


def _upload(client: Any, channel_id: int, content: bytes, name: str = "evidence.pdf") -> Any:
    return client.post(
        f"/channels/{channel_id}/attachments",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _sent_attachment(cast: Cast, story: Story, api_as: Any) -> int:
    amina = api_as(cast.amina)
    uploaded = _upload(amina, story.che.id, b"%PDF-1.4 evidence")
    assert uploaded.status_code == 201, uploaded.text
    attachment_id = uploaded.get_json()["id"]
    sent = amina.post(
        f"/channels/{story.che.id}/messages",
        json=_message("with-file", "See attached", attachment_ids=[attachment_id]),
    )
    assert sent.status_code == 201, sent.text
    return int(attachment_id)


def _matrix(story: Story, attachment_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    """Every channel-scoped route, with {channel} and {attachment} to fill in."""
    return [
        ("get", "/channels/{channel}", {}),
        ("get", "/channels/{channel}/messages?after_seq=0", {}),
        ("post", "/channels/{channel}/messages", {"json": _message("outsider")}),
        ("get", "/channels/{channel}/read", {}),
        ("post", "/channels/{channel}/read", {"json": {"seq": 1}}),
        ("post", "/channels/{channel}/observers", {"json": {"user": 1}}),
        ("delete", "/channels/{channel}/observers/1", {}),
        (
            "post",
            "/channels/{channel}/attachments",
            {"data": {"file": (io.BytesIO(b"x"), "x.txt")}, "content_type": "multipart/form-data"},
        ),
        ("get", "/attachments/{attachment}", {}),
    ]


@pytest.mark.parametrize("who", ["chen", "olga", "observer", "removed", "secretariat"])
def test_every_channel_route_answers_outsiders_as_if_nothing_were_there(
    cast: Cast, story: Story, api_as: Any, who: str
) -> None:
    attachment_id = _sent_attachment(cast, story, api_as)
    outsider = removed_member(cast, story) if who == "removed" else getattr(cast, who)
    client = api_as(outsider)

    for method, path, kwargs in _matrix(story, attachment_id):
        real = path.format(channel=story.che.id, attachment=attachment_id)
        fake = path.format(channel=MISSING, attachment=MISSING)
        hidden = getattr(client, method)(real, **_fresh(kwargs))
        missing = getattr(client, method)(fake, **_fresh(kwargs))
        assert hidden.status_code == 404, (method, path, hidden.text)
        assert hidden.get_json() == missing.get_json(), (method, path)


def _fresh(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Multipart bodies are streams; each request needs its own."""
    if "data" in kwargs:
        return {**kwargs, "data": {"file": (io.BytesIO(b"x"), "x.txt")}}
    return kwargs


def test_the_other_requested_state_is_an_outsider_to_this_channel(
    cast: Cast, story: Story, api_as: Any
) -> None:
    camille = api_as(cast.camille)

    assert camille.get(f"/channels/{story.che.id}/messages").status_code == 404
    assert camille.post(f"/channels/{story.che.id}/messages", json=_message()).status_code == 404


@pytest.mark.parametrize("who", ["amina", "lea", "observer"])
def test_members_are_served_every_channel_route(
    cast: Cast, story: Story, api_as: Any, who: str
) -> None:
    if who == "observer":
        api_as(cast.lea).post(
            f"/channels/{story.che.id}/observers", json={"user": cast.observer.id}
        )
    attachment_id = _sent_attachment(cast, story, api_as)
    client = api_as(getattr(cast, who))

    assert client.get(f"/channels/{story.che.id}").status_code == 200
    assert client.get(f"/channels/{story.che.id}/messages").get_json()["items"][0]["seq"] == 1
    assert client.post(f"/channels/{story.che.id}/messages", json=_message(who)).status_code == 201
    assert client.post(f"/channels/{story.che.id}/read", json={"seq": 1}).status_code == 200
    assert client.get(f"/channels/{story.che.id}/read").status_code == 200
    assert _upload(client, story.che.id, b"notes").status_code == 201
    assert client.get(f"/attachments/{attachment_id}").status_code == 200


def test_a_message_is_created_once_per_client_id(cast: Cast, story: Story, api_as: Any) -> None:
    amina = api_as(cast.amina)
    path = f"/channels/{story.che.id}/messages"

    created = amina.post(path, json=_message("m-1", "Freeze request drafted", reply_to_seq=None))
    replayed = amina.post(path, json=_message("m-1", "Freeze request drafted"))
    reused = amina.post(path, json=_message("m-1", "Something else"))

    assert created.status_code == 201
    assert replayed.status_code == 200
    assert replayed.get_json() == created.get_json()
    assert reused.status_code == 409
    message = created.get_json()
    assert message["seq"] == 1
    assert message["sender"] == {
        "id": cast.amina.id,
        "name": "Aminata Koné",
        "state": "CIV",
        "observer_body": None,
    }
    assert message["handling_code"] == "H0"
    listed = amina.get(f"{path}?after_seq=0&limit=10").get_json()
    assert listed["items"] == [message]
    assert listed["total"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"client_id": "c", "body": "Hi"}, "handling_code"),
        ({"client_id": "c", "body": "Hi", "handling_code": "H7"}, "handling_code"),
        ({"client_id": "c", "body": "", "handling_code": "H0"}, "body"),
        ({"client_id": "c", "body": "x" * 1025, "handling_code": "H0"}, "body"),
        ({"client_id": "c", "body": "é" * 513, "handling_code": "H0"}, "body"),
        ({"body": "Hi", "handling_code": "H0"}, "client_id"),
        ({"client_id": "c", "body": "Hi", "handling_code": "H0", "html": True}, "html"),
        (
            {"client_id": "c", "body": "Hi", "handling_code": "H0", "reply_to_seq": 9},
            "reply_to_seq",
        ),
    ],
)
def test_bad_messages_answer_422_and_store_nothing(
    cast: Cast, story: Story, api_as: Any, body: dict[str, Any], field: str
) -> None:
    amina = api_as(cast.amina)

    answer = amina.post(f"/channels/{story.che.id}/messages", json=body)

    assert answer.status_code == 422, answer.text
    assert field in answer.get_json()["errors"]
    assert amina.get(f"/channels/{story.che.id}/messages").get_json()["total"] == 0


def test_bad_paging_arguments_answer_422(cast: Cast, story: Story, api_as: Any) -> None:
    amina = api_as(cast.amina)

    assert amina.get(f"/channels/{story.che.id}/messages?after_seq=-1").status_code == 422
    assert amina.get(f"/channels/{story.che.id}/messages?limit=501").status_code == 422
    assert amina.post(f"/channels/{story.che.id}/read", json={"seq": 3}).status_code == 422


def test_read_positions_show_who_has_read_what(cast: Cast, story: Story, api_as: Any) -> None:
    amina, lea = api_as(cast.amina), api_as(cast.lea)
    amina.post(f"/channels/{story.che.id}/messages", json=_message("a", "One"))
    amina.post(f"/channels/{story.che.id}/messages", json=_message("b", "Two"))

    assert lea.post(f"/channels/{story.che.id}/read", json={"seq": 2}).get_json() == {
        "channel": story.che.id,
        "seq": 2,
    }
    assert lea.post(f"/channels/{story.che.id}/read", json={"seq": 1}).get_json()["seq"] == 2
    positions = amina.get(f"/channels/{story.che.id}/read").get_json()["items"]
    assert {p["user"]["name"]: p["seq"] for p in positions} == {
        "Aminata Koné": 0,
        "Léa Müller": 2,
    }


def test_observers_are_invited_and_revoked_by_the_inviting_party(
    cast: Cast, story: Story, api_as: Any
) -> None:
    lea, amina = api_as(cast.lea), api_as(cast.amina)

    invited = lea.post(f"/channels/{story.che.id}/observers", json={"user": cast.observer.id})
    assert invited.status_code == 201
    assert invited.get_json()["invited_by_state"] == "CHE"
    members = amina.get(f"/channels/{story.che.id}").get_json()["members"]
    assert ("Obi Server", "observer") in [(m["name"], m["kind"]) for m in members]
    assert amina.delete(f"/channels/{story.che.id}/observers/{cast.observer.id}").status_code == 403
    assert (
        lea.post(f"/channels/{story.che.id}/observers", json={"user": cast.chen.id}).status_code
        == 422
    )

    assert lea.delete(f"/channels/{story.che.id}/observers/{cast.observer.id}").status_code == 204
    assert api_as(cast.observer).get(f"/channels/{story.che.id}").status_code == 404


def test_an_upload_answers_its_hash_and_downloads_as_an_attachment(
    cast: Cast, story: Story, api_as: Any, folder: Path
) -> None:
    content = b"%PDF-1.5\n" + b"statement line\n" * 5000

    uploaded = _upload(api_as(cast.amina), story.che.id, content, name="relevé de compte.pdf")
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.get_json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size"] == len(content)
    api_as(cast.amina).post(
        f"/channels/{story.che.id}/messages",
        json=_message("f", "Statement", attachment_ids=[body["id"]]),
    )

    download = api_as(cast.lea).get(f"/attachments/{body['id']}")
    assert download.status_code == 200
    assert download.data == content
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=UTF-8''relev%C3%A9%20de%20compte.pdf" in download.headers["Content-Disposition"]
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["X-Content-SHA256"] == body["sha256"]
    assert download.headers["Content-Type"] == "application/pdf"
    assert content[:20] not in b"".join(p.read_bytes() for p in _files(folder))


def test_an_html_upload_is_never_served_as_html(cast: Cast, story: Story, api_as: Any) -> None:
    uploaded = _upload(api_as(cast.amina), story.che.id, b"<script>alert(1)</script>", "x.html")

    download = api_as(cast.amina).get(f"/attachments/{uploaded.get_json()['id']}")

    assert download.headers["Content-Type"].startswith("text/plain")
    assert download.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "dir/x.pdf", "tab\there.pdf", "\u202efdp.exe"]
)
def test_bad_file_names_answer_422_and_store_nothing(
    cast: Cast, story: Story, api_as: Any, folder: Path, name: str
) -> None:
    answer = _upload(api_as(cast.amina), story.che.id, b"data", name=name)

    assert answer.status_code == 422, answer.text
    assert "file" in answer.get_json()["errors"]
    assert _files(folder) == []


def test_an_oversized_upload_answers_413_and_stores_nothing(
    cast: Cast, story: Story, api_as: Any, folder: Path
) -> None:
    answer = _upload(api_as(cast.amina), story.che.id, b"z" * 200_001)

    assert answer.status_code == 413, answer.text
    assert _files(folder) == []
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_a_truncated_upload_answers_422_and_stores_nothing(
    cast: Cast, story: Story, api_as: Any, folder: Path
) -> None:
    boundary = "arnet-boundary"
    whole = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="cut.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"q" * 150_000
        + f"\r\n--{boundary}--\r\n".encode()
    )
    cut = whole[:100_000]

    answer = api_as(cast.amina).post(
        f"/channels/{story.che.id}/attachments",
        data=cut,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert answer.status_code == 422, answer.text
    assert _files(folder) == []
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_a_declared_size_that_does_not_arrive_is_refused(
    cast: Cast, story: Story, api_as: Any, folder: Path
) -> None:
    answer = api_as(cast.amina).post(
        f"/channels/{story.che.id}/attachments",
        data={"size": "5000", "file": (io.BytesIO(b"short"), "short.txt")},
        content_type="multipart/form-data",
    )

    assert answer.status_code == 422
    assert _files(folder) == []


def test_an_upload_without_a_file_answers_422(cast: Cast, story: Story, api_as: Any) -> None:
    amina = api_as(cast.amina)

    assert (
        amina.post(f"/channels/{story.che.id}/attachments", json={"file": "x"}).status_code == 422
    )
    assert (
        amina.post(
            f"/channels/{story.che.id}/attachments",
            data={"other": "x"},
            content_type="multipart/form-data",
        ).status_code
        == 422
    )


def test_a_browser_upload_needs_the_csrf_header(
    cast: Cast, story: Story, browser_as: Any, folder: Path
) -> None:
    browser = browser_as(cast.amina)
    token = csrf_from(browser.get("/account").text)

    refused = browser.post(
        f"/api/v1/channels/{story.che.id}/attachments",
        data={"file": (io.BytesIO(b"from the browser"), "note.txt")},
        content_type="multipart/form-data",
    )
    accepted = browser.post(
        f"/api/v1/channels/{story.che.id}/attachments",
        data={"file": (io.BytesIO(b"from the browser"), "note.txt")},
        content_type="multipart/form-data",
        headers={"X-CSRFToken": token},
    )

    assert refused.status_code == 400
    assert accepted.status_code == 201, accepted.text
    assert len(_files(folder)) == 1
