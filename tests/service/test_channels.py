"""Specifications for the channel services: sealed messages, seqs, receipts, search, keys."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update

from network.audit.models import AuditRecord
from network.auth.models import User
from network.cases.access import is_member
from network.cases.models import Channel
from network.core import clock
from network.core.errors import Conflict, InvalidInput, NotFound
from network.core.events import DomainEvent
from network.crypto import SCHEME_HUB_V1
from network.extensions import db
from network.messages import posting, reading
from network.messages.models import Message
from network.realtime.delivery import payload_of
from network.realtime.rooms import room_of
from network.sealing.models import DataKey
from tests.conftest import Cast
from tests.stories import Story, open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def story(cast: Cast) -> Story:
    return open_story(cast)


def _send(user: User, channel: Channel, client_id: str, body: str, **extra: object) -> Message:
    message, _created = posting.post_message(
        user, channel.id, client_id=client_id, body=body, now=clock.now(), **extra
    )
    db.session.commit()
    return message


def _pending_events() -> list[DomainEvent]:
    return list(db.session.info.get("arnet_pending_events", []))


def test_messages_are_numbered_from_one_and_open_for_both_sides(cast: Cast, story: Story) -> None:
    _send(cast.amina, story.che, "a-1", "Could you freeze the account at Banque Léman?")
    _send(cast.lea, story.che, "l-1", "Yes, with a request under 54(2)(b).", handling_code="H2")
    _send(cast.amina, story.fra, "a-2", "For France only")

    seen = reading.messages_after(cast.lea, story.che.id, 0, 50)
    assert [(m.seq, m.sender_name, m.handling_code) for m in seen] == [
        (1, "Aminata Koné", "H0"),
        (2, "Léa Müller", "H2"),
    ]
    assert seen[0].body == "Could you freeze the account at Banque Léman?"
    assert [m.seq for m in reading.messages_after(cast.amina, story.che.id, 1, 50)] == [2]
    assert [m.body for m in reading.messages_after(cast.camille, story.fra.id, 0, 50)] == [
        "For France only"
    ]


def test_a_stored_message_carries_its_scheme_and_key(cast: Cast, story: Story) -> None:
    message = _send(cast.amina, story.che, "a-1", "Hello")

    assert message.scheme == SCHEME_HUB_V1
    assert message.key_id == story.che.data_key_id
    assert b"Hello" not in message.body_sealed


def test_a_message_event_waits_for_commit_with_the_socket_payload(cast: Cast, story: Story) -> None:
    message, created = posting.post_message(
        cast.amina, story.che.id, client_id="a-1", body="Live", reply_to_seq=None, now=clock.now()
    )
    assert created
    [event] = _pending_events()
    assert event.name == "message"
    assert room_of(event) == f"channel:{story.che.id}"
    assert payload_of(event) == {
        "id": message.id,
        "channel": story.che.id,
        "seq": 1,
        "sender": {
            "id": cast.amina.id,
            "name": "Aminata Koné",
            "state": "CIV",
            "observer_body": None,
        },
        "sent_at": message.sent_at.isoformat(),
        "handling_code": "H0",
        "body": "Live",
        "reply_to_seq": None,
        "corrects_seq": None,
        "attachments": [],
        "integrity": "ok",
    }
    json.dumps(payload_of(event))
    db.session.rollback()
    assert _pending_events() == []


def test_a_retried_send_is_stored_once(cast: Cast, story: Story) -> None:
    first = _send(cast.amina, story.che, "retry-1", "Once only")

    again, created = posting.post_message(
        cast.amina, story.che.id, client_id="retry-1", body="Once only", now=clock.now()
    )

    assert not created
    assert again.id == first.id
    assert _pending_events() == []
    assert db.session.get(Channel, story.che.id).last_seq == 1


def test_a_client_id_reused_for_other_content_conflicts(cast: Cast, story: Story) -> None:
    _send(cast.amina, story.che, "reuse-1", "First words")

    with pytest.raises(Conflict):
        posting.post_message(
            cast.amina, story.che.id, client_id="reuse-1", body="Other words", now=clock.now()
        )
    with pytest.raises(Conflict):
        posting.post_message(
            cast.amina,
            story.che.id,
            client_id="reuse-1",
            body="First words",
            handling_code="H1",
            now=clock.now(),
        )


def test_the_same_client_id_from_another_sender_is_another_message(
    cast: Cast, story: Story
) -> None:
    _send(cast.amina, story.che, "same", "From Abidjan")
    _send(cast.lea, story.che, "same", "From Bern")

    assert [m.body for m in reading.messages_after(cast.amina, story.che.id, 0, 9)] == [
        "From Abidjan",
        "From Bern",
    ]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"body": "x" * 70_000}, "body"),
        ({"reply_to_seq": 5}, "reply_to_seq"),
        ({"corrects_seq": 1}, "corrects_seq"),
    ],
)
def test_bad_messages_are_refused_and_leave_no_gap(
    cast: Cast, story: Story, values: dict[str, object], field: str
) -> None:
    _send(cast.lea, story.che, "l-1", "Léa's message")
    arguments: dict[str, object] = {"client_id": "c-1", "body": "Fine", **values}

    with pytest.raises(InvalidInput) as refused:
        posting.post_message(cast.amina, story.che.id, now=clock.now(), **arguments)  # type: ignore[arg-type]
    db.session.rollback()

    assert field in refused.value.errors
    assert _send(cast.amina, story.che, "c-2", "Next").seq == 2


def test_a_correction_is_a_new_message_referring_to_the_old(cast: Cast, story: Story) -> None:
    _send(cast.amina, story.che, "a-1", "The account is at UBS")
    _send(cast.lea, story.che, "l-1", "Noted", reply_to_seq=1)
    _send(cast.amina, story.che, "a-2", "Correction: at Banque Léman", corrects_seq=1)

    seen = reading.messages_after(cast.lea, story.che.id, 0, 9)
    assert [(m.seq, m.reply_to_seq, m.corrects_seq) for m in seen] == [
        (1, None, None),
        (2, 1, None),
        (3, None, 1),
    ]
    assert seen[0].body == "The account is at UBS"


def test_concurrent_senders_get_consecutive_seqs_without_gaps(
    app: Flask, cast: Cast, story: Story
) -> None:
    senders = [cast.amina.id, cast.lea.id, cast.amina.id, cast.lea.id]
    per_sender = 12
    failures: list[BaseException] = []
    start = threading.Barrier(len(senders))

    def send_many(index: int, user_id: int) -> None:
        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                assert user is not None
                start.wait()
                for n in range(per_sender):
                    posting.post_message(
                        user,
                        story.che.id,
                        client_id=f"t{index}-{n}",
                        body=f"{index}:{n}",
                        now=clock.now(),
                    )
                    db.session.commit()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=send_many, args=(i, u)) for i, u in enumerate(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    db.session.expire_all()
    seen = reading.messages_after(cast.amina, story.che.id, 0, 500)
    assert [m.seq for m in seen] == list(range(1, len(senders) * per_sender + 1))
    for index in range(len(senders)):
        mine = [int(m.body.split(":")[1]) for m in seen if m.body.startswith(f"{index}:")]
        assert mine == list(range(per_sender))
    assert db.session.get(Channel, story.che.id).last_seq == len(senders) * per_sender


def test_concurrent_retries_of_one_send_store_it_once(app: Flask, cast: Cast, story: Story) -> None:
    attempts = 4
    answers: list[tuple[int, bool]] = []
    failures: list[BaseException] = []
    start = threading.Barrier(attempts)

    def retry() -> None:
        try:
            with app.app_context():
                user = db.session.get(User, cast.amina.id)
                assert user is not None
                start.wait()
                message, created = posting.post_message(
                    user, story.che.id, client_id="flaky-net", body="Once", now=clock.now()
                )
                db.session.commit()
                answers.append((message.seq, created))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=retry) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(answers) == [(1, False)] * (attempts - 1) + [(1, True)]
    db.session.expire_all()
    assert db.session.get(Channel, story.che.id).last_seq == 1


def test_a_message_body_moved_to_another_row_fails_to_open(cast: Cast, story: Story) -> None:
    first = _send(cast.amina, story.che, "a-1", "Genuine first")
    _send(cast.amina, story.che, "a-2", "Genuine second")
    other = _send(cast.amina, story.fra, "a-3", "For France")

    db.session.execute(
        update(Message)
        .where(Message.channel_id == story.che.id, Message.seq == 2)
        .values(body_sealed=first.body_sealed)
    )
    db.session.commit()
    [moved] = reading.messages_after(cast.amina, story.che.id, 1, 9)
    assert (moved.body, moved.integrity) == (None, "failed")

    db.session.execute(
        update(Message).where(Message.id == other.id).values(body_sealed=first.body_sealed)
    )
    db.session.commit()
    [moved] = reading.messages_after(cast.amina, story.fra.id, 0, 9)
    assert (moved.body, moved.integrity) == (None, "failed")
    genuine = reading.messages_after(cast.amina, story.che.id, 0, 1)[0]
    assert (genuine.body, genuine.integrity) == ("Genuine first", "ok")


def test_read_positions_move_forward_only_and_tell_the_channel(cast: Cast, story: Story) -> None:
    for n in range(3):
        _send(cast.amina, story.che, f"a-{n}", f"Message {n}")

    assert reading.mark_read(cast.lea, story.che.id, 2, clock.now()) == 2
    [receipt] = _pending_events()
    db.session.commit()
    assert reading.mark_read(cast.lea, story.che.id, 1, clock.now()) == 2
    assert _pending_events() == []
    with pytest.raises(InvalidInput):
        reading.mark_read(cast.lea, story.che.id, 4, clock.now())

    assert receipt.name == "receipt"
    assert room_of(receipt) == f"channel:{story.che.id}"
    assert payload_of(receipt)["seq"] == 2
    assert payload_of(receipt)["user"]["id"] == cast.lea.id
    positions = {p.name: p.seq for p in reading.read_positions(cast.amina, story.che.id)}
    assert positions == {"Aminata Koné": 0, "Léa Müller": 2}


def test_unread_counts_per_case_leave_out_ones_own_messages(cast: Cast, story: Story) -> None:
    _send(cast.amina, story.che, "a-1", "One")
    _send(cast.amina, story.fra, "a-2", "Two")
    _send(cast.lea, story.che, "l-1", "Three")

    assert reading.unread_counts(cast.amina) == {story.case.id: 1}
    assert reading.unread_counts(cast.lea) == {story.case.id: 1}
    reading.mark_read(cast.lea, story.che.id, 2, clock.now())
    assert reading.unread_counts(cast.lea) == {story.case.id: 0}
    assert reading.unread_counts(cast.chen) == {}


def test_unread_counts_per_channel_of_a_case_are_the_readers_own(cast: Cast, story: Story) -> None:
    _send(cast.lea, story.che, "l-1", "One")
    _send(cast.lea, story.che, "l-2", "Two")
    _send(cast.camille, story.fra, "c-1", "Three")
    _send(cast.amina, story.fra, "a-1", "Four")

    assert reading.channel_unread_counts(cast.amina, story.case.id) == {
        story.che.id: 2,
        story.fra.id: 1,
    }
    # A requested State counts its own channel only, and never its own messages.
    assert reading.channel_unread_counts(cast.lea, story.case.id) == {story.che.id: 0}
    reading.mark_read(cast.amina, story.che.id, 2, clock.now())
    assert reading.channel_unread_counts(cast.amina, story.case.id)[story.che.id] == 0


def test_search_finds_only_in_the_channels_one_belongs_to(cast: Cast, story: Story) -> None:
    _send(cast.amina, story.che, "a-1", "The yacht is moored in Monaco")
    _send(cast.amina, story.fra, "a-2", "Another YACHT, in Cannes")

    assert [m.body for m in reading.search_messages(cast.lea, story.case.id, "yacht")] == [
        "The yacht is moored in Monaco"
    ]
    assert len(reading.search_messages(cast.amina, story.case.id, "yacht")) == 2
    with pytest.raises(NotFound):
        reading.search_messages(cast.chen, story.case.id, "yacht")
    with pytest.raises(InvalidInput):
        reading.search_messages(cast.amina, story.case.id, " ")


def test_reads_and_sends_are_audited_by_id_and_range_never_content(
    cast: Cast, story: Story
) -> None:
    sent = _send(cast.amina, story.che, "a-1", "Confidential words")
    _send(cast.amina, story.che, "a-2", "More words")
    reading.messages_after(cast.lea, story.che.id, 0, 10)
    db.session.commit()

    records = db.session.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
    sends = [r for r in records if r.action == "message.sent"]
    reads = [r for r in records if r.action == "messages.read"]
    assert sends[0].target_id == str(sent.id)
    assert reads[-1].actor_id == cast.lea.id
    assert reads[-1].details == {"from_seq": 1, "to_seq": 2, "count": 2}
    assert not any("words" in json.dumps(r.details) for r in records)


def test_marking_live_messages_read_is_audited_once_per_move(cast: Cast, story: Story) -> None:
    _send(cast.amina, story.che, "a-1", "Shown live")
    _send(cast.amina, story.che, "a-2", "Shown live too")
    reading.mark_read(cast.lea, story.che.id, 2, now=clock.now())
    reading.mark_read(cast.lea, story.che.id, 1, now=clock.now())  # never back, not audited
    db.session.commit()

    marked = db.session.scalars(
        select(AuditRecord).where(AuditRecord.action == "messages.marked_read")
    ).all()
    assert [(r.actor_id, r.details) for r in marked] == [
        (cast.lea.id, {"after_seq": 0, "to_seq": 2})
    ]


def test_rotate_keys_rewraps_every_data_key_and_leaves_messages_alone(
    app: Flask, cast: Cast, story: Story
) -> None:
    _send(cast.amina, story.che, "a-1", "Before rotation")
    sealed_before = db.session.scalars(select(Message.body_sealed)).all()

    result = app.test_cli_runner().invoke(args=["network", "rotate-keys", "--batch-size", "2"])

    assert result.exit_code == 0, result.output
    keyring_file = json.loads(Path(app.config["KEYRING"]).read_text())
    assert sorted(keyring_file["keys"]) == ["1", "2"]
    assert keyring_file["current"] == 2
    db.session.expire_all()
    assert set(db.session.scalars(select(DataKey.kek_version))) == {2}
    assert db.session.scalars(select(Message.body_sealed)).all() == sealed_before
    assert reading.messages_after(cast.lea, story.che.id, 0, 9)[0].body == "Before rotation"
    _send(cast.lea, story.che, "l-1", "After rotation")
    assert [m.body for m in reading.messages_after(cast.amina, story.che.id, 0, 9)] == [
        "Before rotation",
        "After rotation",
    ]


def test_an_interrupted_rotation_resumes_where_it_stopped(
    app: Flask, cast: Cast, story: Story
) -> None:
    _send(cast.amina, story.che, "a-1", "Survives")
    runner = app.test_cli_runner()

    partial = runner.invoke(
        args=["network", "rotate-keys", "--batch-size", "1", "--max-batches", "1"]
    )
    assert partial.exit_code == 0, partial.output
    assert "run again" in partial.output
    db.session.expire_all()
    assert sorted(db.session.scalars(select(DataKey.kek_version))) == [1, 1, 2]
    assert reading.messages_after(cast.lea, story.che.id, 0, 9)[0].body == "Survives"

    resumed = runner.invoke(args=["network", "rotate-keys", "--resume"])
    assert resumed.exit_code == 0, resumed.output
    db.session.expire_all()
    assert set(db.session.scalars(select(DataKey.kek_version))) == {2}
    assert reading.messages_after(cast.lea, story.che.id, 0, 9)[0].body == "Survives"


def test_removed_members_are_refused_every_channel_service(cast: Cast, story: Story) -> None:
    from tests.stories import removed_member

    kofi = removed_member(cast, story)
    _send(cast.amina, story.che, "a-1", "After Kofi left")

    for call in (
        lambda: reading.messages_after(kofi, story.che.id, 0, 9),
        lambda: posting.post_message(kofi, story.che.id, client_id="k", body="x", now=clock.now()),
        lambda: reading.mark_read(kofi, story.che.id, 1, clock.now()),
        lambda: reading.read_positions(kofi, story.che.id),
        lambda: reading.channel_view(kofi, story.che.id),
        lambda: reading.search_messages(kofi, story.case.id, "Kofi"),
    ):
        with pytest.raises(NotFound):
            call()
    assert not is_member(kofi.id, story.che.id)
