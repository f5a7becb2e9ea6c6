"""The large data set for the query rows, written with core bulk inserts in big transactions.

Going through ``open_case``/``post_message`` one row at a time would take hours for
100,000 cases and a million messages, so this writes the same rows the services write,
sealed the same way (``seal`` with the same associated data, real wrapped data keys), but
in batches: no audit records and no domain events. One member (MEMBER_EMAIL) sits in 1 %
of the cases, with a long conversation in the first, so that their case list, case pages
and message pages are read against a full database. Open freezing orders (MEASURES in all)
are spread over the cases, their expiry dates from a month ago to a year ahead, so that the
member's deadline list is computed among them.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text

from network.auth.accounts import find_user_by_email
from network.cases.models import Case, Channel, ChannelMember, StageChange, TeamMember
from network.core import clock
from network.crypto import SCHEME_HUB_V1, new_data_key, record_aad, seal, wrap_data_key
from network.extensions import db
from network.messages.models import Message
from network.recovery.models import ProvisionalMeasure
from network.sealing.keystore import current_keyring
from network.sealing.models import DataKey

BATCH = 5000
BODY = "Bulk message about the request for assistance and the assets it concerns. " * 2


def _next_id(model: Any) -> int:
    return int(db.session.scalar(select(func.max(model.id))) or 0) + 1


def _flush(model: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        db.session.execute(insert(model), rows)
        rows.clear()


def _sealed_measure_field(case_key: bytes, measure_id: int, name: str, text: str) -> bytes:
    return seal(case_key, text.encode(), record_aad("provisional_measures", measure_id, None, None,
                                                   name))


def _measures(first_id: int, case_id: int, case_key: bytes, state: str, recorded_by: int,
              count: int, today: date) -> list[dict[str, Any]]:
    """``count`` open freezing orders of one case toward ``state``, some already lapsed."""
    return [{
        "id": first_id + n, "case_id": case_id, "requested_state": state, "kind": "freezing",
        "issuing_authority_sealed": _sealed_measure_field(
            case_key, first_id + n, "issuing_authority", "Bench investigating judge"),
        "issuing_state": state, "legal_basis": "54_2_a", "enforcement": "direct",
        "order_reference_sealed": _sealed_measure_field(
            case_key, first_id + n, "order_reference", f"BF-{case_id}-{n}"),
        "effective_on": today - timedelta(days=60),
        "expires_on": today + timedelta(days=(case_id * 7 + n * 31) % 400 - 30),
        "recorded_by_id": recorded_by, "recorded_at": clock.now(),
    } for n in range(count)]


def load(cases: int, messages: int, measures: int, member_email: str,
         counterpart_email: str) -> dict[str, Any]:
    member = find_user_by_email(member_email)
    counterpart = find_user_by_email(counterpart_email)
    assert member is not None
    assert counterpart is not None
    now = clock.now()
    keyring = current_keyring()
    key_id, case_id, channel_id = _next_id(DataKey), _next_id(Case), _next_id(Channel)
    stage_id, team_id = _next_id(StageChange), _next_id(TeamMember)
    seat_id = _next_id(ChannelMember)
    message_id, measure_id = _next_id(Message), _next_id(ProvisionalMeasure)
    today = now.date()
    tables = (DataKey, Case, StageChange, TeamMember, Channel, ChannelMember, ProvisionalMeasure)
    rows: dict[Any, list[dict[str, Any]]] = {model: [] for model in tables}
    channel_keys: list[tuple[int, int, bytes]] = []
    mine: list[int] = []
    # The member's cases come first (one in a hundred); the rest belong to the counterpart.
    every = 100
    for number in range(cases):
        owner = member if number % every == 0 else counterpart
        other = counterpart if owner is member else member
        case_key, channel_key = new_data_key(), new_data_key()
        for key in (case_key, channel_key):
            label = secrets.token_hex(16)
            version, wrapped = wrap_data_key(keyring, key, b"data_keys:" + label.encode())
            rows[DataKey].append({"id": key_id, "label": label, "kek_version": version,
                                  "wrapped": wrapped, "created_at": now})
            key_id += 1
        opened = now - timedelta(minutes=cases - number)
        rows[Case].append({
            "id": case_id, "requesting_state": owner.state_code, "data_key_id": key_id - 2,
            "scheme": SCHEME_HUB_V1, "stage": "informal_consultation", "opened_by_id": owner.id,
            "opened_at": opened,
            "title_sealed": seal(case_key, f"Bulk case {number}".encode(),
                                 record_aad("cases", case_id, None, None, "title")),
            "summary_sealed": seal(case_key, b"", record_aad("cases", case_id, None, None,
                                                             "summary")),
        })
        rows[StageChange].append({
            "id": stage_id, "case_id": case_id, "from_stage": None,
            "to_stage": "informal_consultation", "changed_by_id": owner.id, "changed_at": opened,
            "reason_sealed": seal(case_key, b"", record_aad("case_stage_changes", stage_id, None,
                                                            None, "reason")),
        })
        stage_id += 1
        requested = other.state_code if owner is member else member.state_code
        rows[Channel].append({"id": channel_id, "case_id": case_id, "requested_state": requested,
                              "data_key_id": key_id - 1, "last_seq": 0, "created_at": opened})
        for person in (owner, other) if owner is member else (owner,):
            rows[TeamMember].append({
                "id": team_id, "case_id": case_id, "user_id": person.id,
                "state_code": person.state_code, "added_by_id": owner.id, "added_at": opened})
            rows[ChannelMember].append({
                "id": seat_id, "channel_id": channel_id, "user_id": person.id, "kind": "party",
                "added_by_id": owner.id, "added_at": opened, "read_seq": 0})
            team_id += 1
            seat_id += 1
        in_case = measures // cases + (1 if number < measures % cases else 0)
        rows[ProvisionalMeasure] += _measures(measure_id, case_id, case_key, requested, owner.id,
                                              in_case, today)
        measure_id += in_case
        if owner is member:
            mine.append(channel_id)
        channel_keys.append((channel_id, key_id - 1, channel_key))
        case_id += 1
        channel_id += 1
        if len(rows[Case]) >= BATCH:
            for model in rows:
                _flush(model, rows[model])
    for model in rows:
        _flush(model, rows[model])

    # Messages: a long conversation in the member's first channel, the rest spread evenly.
    long_channel = mine[0]
    long_count = min(messages // 4, 20000)
    per_channel = max(1, (messages - long_count) // max(1, len(channel_keys) - 1))
    last_seq: dict[int, int] = {}
    batch: list[dict[str, Any]] = []
    written = 0
    body = BODY.encode()
    for channel, channel_key_row, key in channel_keys:
        count = long_count if channel == long_channel else per_channel
        count = min(count, messages - written)
        for seq in range(1, count + 1):
            batch.append({
                "id": message_id, "channel_id": channel, "seq": seq,
                "sender_id": member.id if seq % 2 else counterpart.id,
                "client_id": f"bulk-{seq}", "sent_at": now, "handling_code": "H1",
                "scheme": SCHEME_HUB_V1, "key_id": channel_key_row,
                "body_sealed": seal(key, body, record_aad("messages", f"{channel}/{seq}", channel,
                                                          seq, "body")),
            })
            message_id += 1
        written += count
        last_seq[channel] = count
        if len(batch) >= BATCH:
            _flush(Message, batch)
        if written >= messages:
            break
    _flush(Message, batch)
    db.session.execute(
        Channel.__table__.update().where(Channel.__table__.c.id == bindparam("cid")).values(
            last_seq=bindparam("seq")),
        [{"cid": channel, "seq": seq} for channel, seq in last_seq.items()],
    )
    if db.engine.dialect.name == "postgresql":
        # Rows came with explicit ids: move each id sequence past them for later inserts.
        for model in (*tables, Message):
            table = model.__tablename__
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"))
    db.session.commit()
    return {"cases": cases, "messages": written, "measures": measures, "member_cases": len(mine),
            "long_channel": long_channel, "long_count": long_count,
            "case_ids": list(range(case_id - cases, case_id, every))[:50]}
