"""Specifications for attachments, and for no plaintext anywhere in the database or on disk."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from network.core import clock
from network.core.errors import InvalidInput, NotFound
from network.extensions import db
from network.messages import attachments, posting, reading
from network.messages.models import Attachment
from network.messages.storage import DirectoryStore
from tests.conftest import Cast
from tests.stories import DISTINCTIVE, Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
LIMIT = 300_000


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast)


@pytest.fixture
def folder(app: Flask) -> Path:
    return Path(app.config["ATTACHMENT_DIR"])


def _upload(
    cast: Cast,
    story: Story,
    folder: Path,
    content: bytes,
    name: str = "statement.pdf",
    declared: int | None = None,
) -> attachments.AttachmentView:
    view = attachments.store_attachment(
        cast.amina,
        story.che.id,
        filename=name,
        stream=io.BytesIO(content),
        declared_size=declared,
        store=DirectoryStore(folder),
        max_bytes=LIMIT,
        now=clock.now(),
    )
    db.session.commit()
    return view


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _attachment_rows() -> int:
    return db.session.scalar(select(func.count(Attachment.id))) or 0


def test_an_attachment_round_trips_with_its_hash_and_sniffed_type(
    cast: Cast, story: Story, folder: Path
) -> None:
    content = b"%PDF-1.7\n" + bytes(range(256)) * 500

    stored = _upload(cast, story, folder, content, name="relevé bancaire.txt")
    message, _ = posting.post_message(
        cast.amina,
        story.che.id,
        client_id="a-1",
        body="See file",
        attachment_ids=[stored.id],
        now=clock.now(),
    )
    db.session.commit()
    info, chunks = attachments.open_attachment(
        cast.lea, stored.id, store=DirectoryStore(folder), now=clock.now()
    )

    assert b"".join(chunks) == content
    assert info.sha256 == hashlib.sha256(content).hexdigest()
    assert info.size == len(content)
    assert info.content_type == "application/pdf"
    assert info.filename == "relevé bancaire.txt"
    assert [a.id for a in reading.message_view(message).attachments] == [stored.id]
    [on_disk] = _files(folder)
    assert "relevé" not in on_disk.name
    assert on_disk.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"PK\x03\x04 docx", "application/zip"),
        (b"Plain words, d\xc3\xa9j\xc3\xa0 vu", "text/plain"),
        (b"<html><script>alert(1)</script>", "text/plain"),
        (b"\x00\x01\x02binary", "application/octet-stream"),
    ],
)
def test_the_content_type_comes_from_the_bytes_not_the_name(
    cast: Cast, story: Story, folder: Path, content: bytes, expected: str
) -> None:
    assert _upload(cast, story, folder, content, name="x.pdf").content_type == expected


@pytest.mark.parametrize(
    "name",
    [
        "../etc/passwd",
        "a/b.pdf",
        "a\\b.pdf",
        "nul\x00.pdf",
        "line\nbreak.pdf",
        "\u202efdp.exe",
        "",
        "  ",
        "..",
        "x" * 256,
    ],
)
def test_bad_file_names_are_refused_and_nothing_is_stored(
    cast: Cast, story: Story, folder: Path, name: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _upload(cast, story, folder, b"content", name=name)
    db.session.rollback()

    assert "file" in refused.value.errors
    assert _files(folder) == []
    assert _attachment_rows() == 0


def test_an_oversized_upload_is_refused_and_nothing_is_stored(
    cast: Cast, story: Story, folder: Path
) -> None:
    with pytest.raises(attachments.AttachmentTooLarge):
        _upload(cast, story, folder, b"x" * (LIMIT + 1))
    db.session.rollback()
    with pytest.raises(attachments.AttachmentTooLarge):
        _upload(cast, story, folder, b"x", declared=LIMIT + 1)
    db.session.rollback()

    assert _files(folder) == []
    assert _attachment_rows() == 0


def test_a_truncated_upload_is_refused_and_nothing_is_stored(
    cast: Cast, story: Story, folder: Path
) -> None:
    with pytest.raises(InvalidInput):
        _upload(cast, story, folder, b"y" * 1000, declared=5000)
    db.session.rollback()

    assert _files(folder) == []
    assert _attachment_rows() == 0


def test_an_unsent_attachment_is_its_uploaders_alone_and_is_sent_once(
    cast: Cast, story: Story, folder: Path
) -> None:
    stored = _upload(cast, story, folder, b"draft")

    with pytest.raises(NotFound):
        attachments.open_attachment(
            cast.lea, stored.id, store=DirectoryStore(folder), now=clock.now()
        )
    with pytest.raises(InvalidInput):
        posting.post_message(
            cast.lea,
            story.che.id,
            client_id="l-1",
            body="mine?",
            attachment_ids=[stored.id],
            now=clock.now(),
        )
    db.session.rollback()
    posting.post_message(
        cast.amina,
        story.che.id,
        client_id="a-1",
        body="file",
        attachment_ids=[stored.id],
        now=clock.now(),
    )
    db.session.commit()
    with pytest.raises(InvalidInput):
        posting.post_message(
            cast.amina,
            story.che.id,
            client_id="a-2",
            body="again",
            attachment_ids=[stored.id],
            now=clock.now(),
        )
    db.session.rollback()
    with pytest.raises(NotFound):
        attachments.open_attachment(
            cast.camille, stored.id, store=DirectoryStore(folder), now=clock.now()
        )


def test_a_file_moved_to_another_attachment_fails_to_open(
    cast: Cast, story: Story, folder: Path
) -> None:
    first = _upload(cast, story, folder, b"first file")
    second = _upload(cast, story, folder, b"second file")
    names = {a.id: a.stored_name for a in db.session.scalars(select(Attachment))}
    first_path = next(p for p in _files(folder) if p.name == names[first.id])
    second_path = next(p for p in _files(folder) if p.name == names[second.id])
    second_path.write_bytes(first_path.read_bytes())

    _info, chunks = attachments.open_attachment(
        cast.amina, second.id, store=DirectoryStore(folder), now=clock.now()
    )
    from network.crypto import DecryptionFailed

    with pytest.raises(DecryptionFailed):
        b"".join(chunks)


def _database_bytes(app: Flask, database_url: str) -> bytes:
    """Everything the database holds: the SQLite files, or a data dump of PostgreSQL."""
    db.session.commit()
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        files = [Path(url.database + suffix) for suffix in ("", "-journal", "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--no-owner",
            "-h",
            url.host or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            url.database or "test",
        ],
        capture_output=True,
        check=True,
    )
    return dump.stdout


def test_no_plaintext_of_a_message_summary_or_attachment_is_stored(
    app: Flask, cast: Cast, folder: Path, database_url: str
) -> None:
    story = open_story(cast, summary=f"Summary naming {DISTINCTIVE} as beneficial owner")
    stored = _upload(
        cast,
        story,
        folder,
        f"Bank statement of {DISTINCTIVE}\n".encode() * 3000,
        name=f"{DISTINCTIVE}.txt",
    )
    posting.post_message(
        cast.amina,
        story.che.id,
        client_id="a-1",
        body=f"Is {DISTINCTIVE} known to you?",
        attachment_ids=[stored.id],
        now=clock.now(),
    )
    reading.messages_after(cast.lea, story.che.id, 0, 10)
    db.session.commit()

    stored_bytes = _database_bytes(app, database_url)
    phrase = DISTINCTIVE.encode()
    assert b"amina@civ.example" in stored_bytes  # what is not secret is there to be seen
    assert b"Port authority embezzlement" not in stored_bytes  # the title is sealed as well
    assert phrase not in stored_bytes
    assert phrase.decode().encode("utf-16-le") not in stored_bytes
    assert b"Bank statement" not in stored_bytes
    for path in _files(folder):
        assert phrase not in path.read_bytes()
        assert DISTINCTIVE not in path.name
    # The check itself is sound: the phrase is there to be found once decrypted.
    assert DISTINCTIVE in reading.messages_after(cast.lea, story.che.id, 0, 1)[0].body
