"""Sealed fields declared on the model: plain attributes outside, bound ciphertext inside."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from network.cases.models import Case, StageChange
from network.core import clock
from network.core.locking import hold_write_lock
from network.crypto import DecryptionFailed, new_data_key, open_sealed, record_aad, wrap_data_key
from network.extensions import db
from network.sealing import keystore
from network.sealing.integrity import Opened
from network.sealing.models import DataKey
from network.wiring import reload_keyring
from tests.conftest import Cast
from tests.stories import open_story

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def story_summary() -> str:
    return "Embezzled funds moved through Geneva and Paris."


def _stored(case_id: int) -> bytes:
    return db.session.execute(select(Case.title_sealed).where(Case.id == case_id)).scalar_one()


def test_a_title_given_before_the_case_has_an_id_is_bound_to_the_row_it_lands_in(
    cast: Cast,
) -> None:
    story = open_story(cast, title="Harbour dredging contracts")
    key = keystore.data_key(story.case.data_key_id)
    stored = _stored(story.case.id)

    assert b"Harbour" not in stored
    place = record_aad("cases", story.case.id, None, None, "title")
    assert open_sealed(key, stored, place) == b"Harbour dredging contracts"
    with pytest.raises(DecryptionFailed):
        open_sealed(key, stored, record_aad("cases", story.case.id + 1, None, None, "title"))


def test_a_changed_title_is_sealed_again_and_reads_back_after_a_new_session(cast: Cast) -> None:
    story = open_story(cast)
    story.case.title = "Renamed after the hearing"
    db.session.commit()
    before = _stored(story.case.id)
    db.session.remove()

    case = db.session.get(Case, story.case.id)
    assert case is not None
    assert case.title == "Renamed after the hearing"
    assert b"Renamed" not in before


def _counting_unwraps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the data keys unwrapped from now on."""
    unwrapped: list[int] = []
    real_unwrap = keystore.unwrap

    def counting(row: DataKey) -> bytes:
        unwrapped.append(row.id)
        return real_unwrap(row)

    monkeypatch.setattr(keystore, "unwrap", counting)
    return unwrapped


def _title_afresh(case_id: int) -> str:
    db.session.commit()
    db.session.expunge_all()  # the same session, a new transaction, the rows read afresh
    case = db.session.get(Case, case_id)
    assert case is not None
    return case.title


def test_the_records_of_a_case_unwrap_its_data_key_once_per_process(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = open_story(cast)
    db.session.remove()
    unwrapped = _counting_unwraps(monkeypatch)
    case = db.session.get(Case, story.case.id)
    assert case is not None
    changes = db.session.scalars(select(StageChange).where(StageChange.case_id == case.id)).all()

    opened = [case.title, case.summary, *(each.reason for each in changes)]

    assert opened == ["Port authority embezzlement", story_summary(), ""]
    assert unwrapped == [case.data_key_id]
    key_id, case_id = case.data_key_id, case.id
    # Committed, the key is kept: later transactions neither read its row nor unwrap it.
    assert _title_afresh(case_id) == "Port authority embezzlement"
    assert _title_afresh(case_id) == "Port authority embezzlement"
    assert unwrapped == [key_id]


def test_a_changed_keyring_makes_the_process_unwrap_its_data_keys_again(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = open_story(cast)
    key_id, case_id = story.case.data_key_id, story.case.id
    assert _title_afresh(case_id) == "Port authority embezzlement"
    unwrapped = _counting_unwraps(monkeypatch)
    assert _title_afresh(case_id) == "Port authority embezzlement"
    assert unwrapped == []

    reload_keyring()  # what a process does when it sees rotate-keys save the keyring

    assert _title_afresh(case_id) == "Port authority embezzlement"
    assert unwrapped == [key_id]


def _another_process_makes_key(key_id: int) -> bytes:
    """Another process makes a data key; SQLite may give it the id a rolled-back one had."""
    key, label = new_data_key(), "another-process"
    version, wrapped = wrap_data_key(
        keystore.current_keyring(), key, b"data_keys:" + label.encode("ascii")
    )
    with db.engine.begin() as other:
        other.execute(
            insert(DataKey).values(
                id=key_id, label=label, kek_version=version, wrapped=wrapped,
                created_at=clock.now(),
            )
        )
    return key


def test_a_data_key_rolled_back_is_never_handed_out_for_the_key_that_takes_its_id(
    cast: Cast,
) -> None:
    abandoned = keystore.create_data_key(clock.now())
    abandoned_id, abandoned_key = abandoned.id, keystore.data_key(abandoned.id)
    db.session.rollback()
    key = _another_process_makes_key(abandoned_id)

    assert keystore.data_key(abandoned_id) == key != abandoned_key


def test_a_data_key_read_back_in_the_transaction_that_made_it_is_not_kept(cast: Cast) -> None:
    hold_write_lock(db.session, DataKey)  # SQLite's driver begins the transaction at a write
    with db.session.begin_nested():
        abandoned = keystore.create_data_key(clock.now())
    abandoned_id = abandoned.id
    # The savepoint's keys went with it: this one is read back from its uncommitted row.
    abandoned_key = keystore.data_key(abandoned_id)
    db.session.rollback()
    key = _another_process_makes_key(abandoned_id)

    assert keystore.data_key(abandoned_id) == key != abandoned_key


def test_a_damaged_field_reads_none_and_flags_its_record_while_the_others_open(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    story = open_story(cast)
    case = story.case
    stored = bytearray(case.title_sealed)
    stored[-1] ^= 1
    case.title_sealed = bytes(stored)
    db.session.commit()

    opened = Opened(case)
    assert opened[Case.summary] == story_summary()
    assert opened.integrity == "ok"
    assert opened[Case.title] is None
    assert opened.integrity == "failed"
    assert f"table=cases id={case.id} field=title" in caplog.text
    with pytest.raises(DecryptionFailed):
        _ = case.title
