"""The large data set for the query rows, written with bulk inserts in big transactions.

Going through ``open_case``/``post_message`` one row at a time would take hours for
100,000 cases and a million messages, so this writes the same rows the services write,
sealed the same way (the hub scheme with the same associated data, real wrapped data
keys), but in bulk: no audit records and no domain events. One member (MEMBER_EMAIL) sits
in 1 % of the cases, with a long conversation in the first, so that their case list, case
pages and message pages are read against a full database. Open freezing orders (MEASURES
in all) are spread over the cases, their expiry dates from a month ago to a year ahead, so
that the member's deadline list is computed among them.

What makes a million sealed rows take seconds rather than minutes:

- rows are tuples written by ``TableWriter``: one ``COPY ... FROM STDIN`` per batch through
  psycopg on PostgreSQL, ``executemany`` of a prepared INSERT on SQLite (the DB-API's own
  loop, not one Python call per row), with the columns' bind processing applied once per
  distinct value (the same ``sent_at`` for a million rows is formatted once);
- a message body is sealed with one AES-GCM object per channel key and an AAD built from a
  per-channel prefix; ``_MessageSealer`` checks its output against ``record_aad``/``seal`` so
  the fast path cannot drift from the format the server reads;
- each channel's ``last_seq`` is known before its row is written (the message plan is fixed
  up front), so no million-row UPDATE follows.

``network`` also makes the signed-in population of the idle-socket row in bulk: users, their
access tokens (hashed as ``create_token`` hashes them) and one two-member case per pair.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import LargeBinary, func, select, text
from sqlalchemy.exc import DBAPIError

from network.auth.accounts import find_user_by_email
from network.auth.models import AccessToken, User
from network.auth.tokens import TOKEN_PREFIX
from network.cases.models import Case, Channel, ChannelMember, StageChange, TeamMember
from network.core import clock
from network.crypto import SCHEME_HUB_V1, new_data_key, open_sealed, record_aad, seal, wrap_data_key
from network.crypto._aead import NONCE_SIZE, aes256gcm
from network.extensions import db
from network.messages.models import Message, body_aad
from network.recovery.models import ProvisionalMeasure
from network.sealing.keystore import current_keyring
from network.sealing.models import DataKey

BATCH = 20_000  # rows per COPY or executemany
CASE_BATCH = 5_000  # cases whose rows are gathered before they are written
BODY = "Bulk message about the request for assistance and the assets it concerns. " * 2
CASE_TABLES = (DataKey, Case, StageChange, TeamMember, Channel, ChannelMember, ProvisionalMeasure)


class TableWriter:
    """Many rows into one table per call, inside the session's transaction."""

    def __init__(self) -> None:
        self.connection = db.session.connection()
        self.dialect = self.connection.dialect
        self.postgres = self.dialect.name == "postgresql"
        if self.postgres:
            # The rows reference ids this load has just written, so the foreign-key triggers
            # (three index probes per message) are skipped for this transaction where the
            # role may (a superuser, as the bench's own database); elsewhere they run.
            with contextlib.suppress(DBAPIError), self.connection.begin_nested():
                self.connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            # One big transaction: a page cache that holds the indexes being filled keeps
            # SQLite from spilling half-built pages to the write-ahead log again and again.
            self.connection.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MiB

    def value(self, model: Any, column: str, value: Any) -> Any:
        """A constant as the database takes it, for rows written with ``ready=True``."""
        if self.postgres:
            return value
        column_type = model.__table__.columns[column].type
        processor = column_type.dialect_impl(self.dialect).bind_processor(self.dialect)
        return processor(value) if processor is not None else value

    def write(
        self,
        model: Any,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        ready: bool = False,
    ) -> int:
        """``ready``: the values are already what the database takes (see ``value``)."""
        table = model.__table__
        names = ", ".join(columns)
        written = 0
        if self.postgres:
            # COPY takes rows as psycopg adapts them: aware datetimes, dates, bytes as they are.
            raw = self.connection.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cursor:
                for chunk in _chunks(rows, BATCH):
                    with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                        for row in chunk:
                            copy.write_row(row)
                    written += len(chunk)
            return written
        process = None if ready else self._processor(table, columns)
        statement = (
            f"INSERT INTO {table.name} ({names}) "  # noqa: S608 - our own column names
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for chunk in _chunks(rows, BATCH):
            cursor.executemany(statement, [process(row) for row in chunk] if process else chunk)
            written += len(chunk)
        cursor.close()
        return written

    def write_dicts(self, model: Any, rows: list[dict[str, Any]]) -> None:
        """Rows as dicts with the same keys; Python-side scalar defaults fill the rest."""
        if not rows:
            return
        table = model.__table__
        defaults = {
            column.name: column.default.arg
            for column in table.columns
            if column.name not in rows[0]
            and column.default is not None
            and column.default.is_scalar
        }
        columns = [*rows[0], *defaults]
        extra = tuple(defaults.values())
        self.write(model, columns, (tuple(row.values()) + extra for row in rows))
        rows.clear()

    def _processor(
        self, table: Any, columns: Sequence[str]
    ) -> Callable[[Sequence[Any]], tuple[Any, ...]] | None:
        """SQLite's bind processing (datetimes to text, booleans to integers), memoised."""
        steps: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = []
        for index, name in enumerate(columns):
            column_type = table.columns[name].type
            if isinstance(column_type, LargeBinary):
                continue  # sqlite3 takes bytes as they are; a memo would hold every blob
            processor = column_type.dialect_impl(self.dialect).bind_processor(self.dialect)
            if processor is not None:
                steps.append((index, processor, {}))
        if not steps:
            return None

        def process(row: Sequence[Any]) -> tuple[Any, ...]:
            values = list(row)
            for index, processor, memo in steps:
                value = values[index]
                if value is None:
                    continue
                try:
                    values[index] = memo[value]
                except KeyError:
                    values[index] = memo[value] = processor(value)
                except TypeError:  # not hashable
                    values[index] = processor(value)
            return tuple(values)

        return process


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _MessageSealer:
    """``seal(key, body, body_aad(channel, seq))`` for many seqs of one channel, fast."""

    _HUB_V1_ID = b"\x01"

    def __init__(self, channel_id: int, key: bytes) -> None:
        self.encrypt = aes256gcm(key).encrypt
        # record_aad's parts: label, table, row id "channel/seq", channel, seq, field.
        reference = record_aad("messages", f"{channel_id}/", channel_id, 0, "body")
        label_and_table = len(b"arnet:record:v1").to_bytes(4, "big") + b"arnet:record:v1"
        label_and_table += (8).to_bytes(4, "big") + b"messages"
        assert reference.startswith(label_and_table)
        self.head = label_and_table
        self.row_prefix = f"{channel_id}/"
        self.channel = str(channel_id).encode()
        self.channel_part = len(self.channel).to_bytes(4, "big") + self.channel
        self.tail = (4).to_bytes(4, "big") + b"body"
        self.key = key
        self.channel_id = channel_id

    def aad(self, seq: int) -> bytes:
        row = (self.row_prefix + str(seq)).encode()
        number = str(seq).encode()
        return b"".join(
            (
                self.head,
                len(row).to_bytes(4, "big"),
                row,
                self.channel_part,
                len(number).to_bytes(4, "big"),
                number,
                self.tail,
            )
        )

    def seal(self, body: bytes, seq: int) -> bytes:
        nonce = os.urandom(NONCE_SIZE)
        return self._HUB_V1_ID + nonce + self.encrypt(nonce, body, self.aad(seq))

    def check(self, body: bytes) -> None:
        """The fast path opens with the server's own AAD and seal opens here: same format."""
        for seq in (1, 10, 12345):
            assert self.aad(seq) == body_aad(self.channel_id, seq)
            assert (
                open_sealed(self.key, self.seal(body, seq), body_aad(self.channel_id, seq)) == body
            )
        assert seal(self.key, body, self.aad(1))[:1] == self._HUB_V1_ID


def _next_id(model: Any) -> int:
    return int(db.session.scalar(select(func.max(model.id))) or 0) + 1


def _sealed_measure_field(case_key: bytes, measure_id: int, name: str, value: str) -> bytes:
    return seal(
        case_key, value.encode(), record_aad("provisional_measures", measure_id, None, None, name)
    )


def _measures(
    first_id: int,
    case_id: int,
    case_key: bytes,
    state: str,
    recorded_by: int,
    count: int,
    today: date,
    now: datetime,
) -> list[dict[str, Any]]:
    """``count`` open freezing orders of one case toward ``state``, some already lapsed."""
    return [
        {
            "id": first_id + n,
            "case_id": case_id,
            "requested_state": state,
            "kind": "freezing",
            "issuing_authority_sealed": _sealed_measure_field(
                case_key, first_id + n, "issuing_authority", "Bench investigating judge"
            ),
            "issuing_state": state,
            "legal_basis": "54_2_a",
            "enforcement": "direct",
            "order_reference_sealed": _sealed_measure_field(
                case_key, first_id + n, "order_reference", f"BF-{case_id}-{n}"
            ),
            "effective_on": today - timedelta(days=60),
            "expires_on": today + timedelta(days=(case_id * 7 + n * 31) % 400 - 30),
            "recorded_by_id": recorded_by,
            "recorded_at": now,
        }
        for n in range(count)
    ]


def message_plan(cases: int, messages: int) -> list[int]:
    """Messages per channel, exactly ``messages`` in all: a long conversation in the first
    (the member's), the rest spread evenly."""
    if cases == 1:
        return [messages]
    long_count = min(messages // 4, 20000)
    base, extra = divmod(messages - long_count, cases - 1)
    return [long_count] + [base + (1 if n < extra else 0) for n in range(cases - 1)]


class _Ids:
    """The next free id of each table, read once: rows come with explicit ids."""

    def __init__(self, *models: Any) -> None:
        self.next = {model: _next_id(model) for model in models}

    def take(self, model: Any) -> int:
        value: int = self.next[model]
        self.next[model] = value + 1
        return value


class _Cases:
    """Rows of two-party cases (data keys, case, stage, team, channel, seats), gathered in
    batches; sealed and keyed as ``open_case`` makes them."""

    def __init__(self, writer: TableWriter, ids: _Ids, now: datetime) -> None:
        self.writer, self.ids, self.now = writer, ids, now
        self.keyring = current_keyring()
        self.rows: dict[Any, list[dict[str, Any]]] = {model: [] for model in CASE_TABLES}

    def _data_key(self) -> tuple[int, bytes]:
        key, key_id = new_data_key(), self.ids.take(DataKey)
        label = secrets.token_hex(16)
        version, wrapped = wrap_data_key(self.keyring, key, b"data_keys:" + label.encode())
        self.rows[DataKey].append(
            {
                "id": key_id,
                "label": label,
                "kek_version": version,
                "wrapped": wrapped,
                "created_at": self.now,
            }
        )
        return key_id, key

    def add(
        self,
        title: str,
        owner: Any,
        members: Sequence[Any],
        requested: str,
        opened: datetime,
        last_seq: int,
    ) -> tuple[int, int, int, bytes, bytes]:
        """One case; returns (case id, channel id, channel key id, case key, channel key)."""
        (case_key_id, case_key), (channel_key_id, channel_key) = self._data_key(), self._data_key()
        case_id, channel_id = self.ids.take(Case), self.ids.take(Channel)
        stage_id = self.ids.take(StageChange)
        self.rows[Case].append(
            {
                "id": case_id,
                "requesting_state": owner.state_code,
                "data_key_id": case_key_id,
                "scheme": SCHEME_HUB_V1,
                "stage": "informal_consultation",
                "opened_by_id": owner.id,
                "opened_at": opened,
                "title_sealed": seal(
                    case_key, title.encode(), record_aad("cases", case_id, None, None, "title")
                ),
                "summary_sealed": seal(
                    case_key, b"", record_aad("cases", case_id, None, None, "summary")
                ),
            }
        )
        self.rows[StageChange].append(
            {
                "id": stage_id,
                "case_id": case_id,
                "from_stage": None,
                "to_stage": "informal_consultation",
                "changed_by_id": owner.id,
                "changed_at": opened,
                "reason_sealed": seal(
                    case_key, b"", record_aad("case_stage_changes", stage_id, None, None, "reason")
                ),
            }
        )
        self.rows[Channel].append(
            {
                "id": channel_id,
                "case_id": case_id,
                "requested_state": requested,
                "data_key_id": channel_key_id,
                "last_seq": last_seq,
                "created_at": opened,
            }
        )
        for person in members:
            self.rows[TeamMember].append(
                {
                    "id": self.ids.take(TeamMember),
                    "case_id": case_id,
                    "user_id": person.id,
                    "state_code": person.state_code,
                    "added_by_id": owner.id,
                    "added_at": opened,
                }
            )
            self.rows[ChannelMember].append(
                {
                    "id": self.ids.take(ChannelMember),
                    "channel_id": channel_id,
                    "user_id": person.id,
                    "kind": "party",
                    "added_by_id": owner.id,
                    "added_at": opened,
                    "read_seq": 0,
                }
            )
        return case_id, channel_id, channel_key_id, case_key, channel_key

    def flush(self, at_least: int = 0) -> None:
        if len(self.rows[Case]) >= at_least:
            for model, rows in self.rows.items():  # in foreign-key order
                self.writer.write_dicts(model, rows)


def _move_sequences(*models: Any) -> None:
    """Rows came with explicit ids: move each PostgreSQL id sequence past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        )


def _analyze() -> None:
    """Give the planner the statistics a database in service has.

    PostgreSQL's autovacuum analyzes a table within a minute of a bulk load, and on
    SQLite ``PRAGMA optimize`` does it as connections close; measured straight after the
    load, both engines would otherwise plan the full-size queries from an empty table's
    guesses (SQLite read one case page four times slower, PostgreSQL three times).
    """
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def load(
    cases: int, messages: int, measures: int, member_email: str, counterpart_email: str
) -> dict[str, Any]:
    member = find_user_by_email(member_email)
    counterpart = find_user_by_email(counterpart_email)
    assert member is not None
    assert counterpart is not None
    now = clock.now()
    today = now.date()
    writer = TableWriter()
    ids = _Ids(*CASE_TABLES, Message)
    made = _Cases(writer, ids, now)
    plan = message_plan(cases, messages)
    channels: list[tuple[int, int, bytes, int]] = []  # channel, key row, key, messages
    mine: list[int] = []
    # The member's cases come first (one in a hundred); the rest belong to the counterpart.
    every = 100
    first_case = ids.next[Case]
    for number in range(cases):
        owner = member if number % every == 0 else counterpart
        requested = counterpart.state_code if owner is member else member.state_code
        members = (member, counterpart) if owner is member else (counterpart,)
        case_id, channel_id, key_row, case_key, channel_key = made.add(
            f"Bulk case {number}",
            owner,
            members,
            requested,
            now - timedelta(minutes=cases - number),
            plan[number],
        )
        in_case = measures // cases + (1 if number < measures % cases else 0)
        first_measure = ids.next[ProvisionalMeasure]
        ids.next[ProvisionalMeasure] += in_case
        made.rows[ProvisionalMeasure] += _measures(
            first_measure, case_id, case_key, requested, owner.id, in_case, today, now
        )
        if owner is member:
            mine.append(channel_id)
        channels.append((channel_id, key_row, channel_key, plan[number]))
        made.flush(at_least=CASE_BATCH)
    made.flush()

    body = BODY.encode()
    first_message = ids.next[Message]
    _MessageSealer(channels[0][0], channels[0][2]).check(body)
    columns = (
        "id",
        "channel_id",
        "seq",
        "sender_id",
        "client_id",
        "sent_at",
        "handling_code",
        "scheme",
        "key_id",
        "body_sealed",
    )
    senders = (counterpart.id, member.id)  # odd seqs from the member
    sent_at = writer.value(Message, "sent_at", now)

    def message_rows() -> Iterator[tuple[Any, ...]]:
        message_id = first_message
        for channel, key_row, key, count in channels:
            sealer = _MessageSealer(channel, key)
            for seq in range(1, count + 1):
                yield (
                    message_id,
                    channel,
                    seq,
                    senders[seq & 1],
                    f"bulk-{seq}",
                    sent_at,
                    "H1",
                    SCHEME_HUB_V1,
                    key_row,
                    sealer.seal(body, seq),
                )
                message_id += 1

    written = writer.write(Message, columns, message_rows(), ready=True)
    _move_sequences(*CASE_TABLES, Message)
    db.session.commit()
    _analyze()
    return {
        "cases": cases,
        "messages": written,
        "measures": measures,
        "member_cases": len(mine),
        "long_channel": mine[0],
        "long_count": plan[0],
        "case_ids": list(range(first_case, first_case + cases, every))[:50],
    }


def network(prefix: str, state_a: str, state_b: str, groups: int, size: int) -> dict[str, Any]:
    """``groups × size`` users of two States (alternating), each with an access token, and one
    case per group with all of them on its team and in its channel: the population that signs
    in at once in the idle-socket row (and the pairs of the throughput row)."""
    now = clock.now()
    writer = TableWriter()
    ids = _Ids(User, AccessToken, *CASE_TABLES)
    people: list[dict[str, Any]] = []
    user_rows: list[dict[str, Any]] = []
    token_rows: list[dict[str, Any]] = []
    for number in range(groups * size):
        state = state_a if number % 2 == 0 else state_b
        user_id = ids.take(User)
        email = f"{prefix}{number}@{state.lower()}.bench.example"
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        user_rows.append(
            {
                "id": user_id,
                "email": email,
                "name": f"{prefix.title()} {number} {state}",
                "role": "practitioner",
                "state_code": state,
                "active": True,
                "is_demo": False,
                "created_at": now,
            }
        )
        # Hashed and prefixed as auth.tokens.create_token stores a token.
        token_rows.append(
            {
                "id": ids.take(AccessToken),
                "user_id": user_id,
                "name": "bench",
                "token_hash": hashlib.sha256(raw.encode()).hexdigest(),
                "prefix": raw[: len(TOKEN_PREFIX) + 6],
                "created_at": now,
                "expires_at": now + timedelta(days=30),
            }
        )
        people.append({"user_id": user_id, "email": email, "token": raw, "state": state})
    writer.write_dicts(User, user_rows)
    writer.write_dicts(AccessToken, token_rows)

    made = _Cases(writer, ids, now)
    result = []
    for start in range(0, len(people), size):
        members = [_Member(each["user_id"], each["state"]) for each in people[start : start + size]]
        _, channel_id, *_ = made.add(
            f"Bench group {members[0].id}", members[0], members, state_b, now, 0
        )
        made.flush(at_least=CASE_BATCH)
        result.append({"channel": channel_id, "members": people[start : start + size]})
    made.flush()
    _move_sequences(User, AccessToken, *CASE_TABLES)
    db.session.commit()
    return {"groups": result}


class _Member:
    """What ``_Cases.add`` reads of a person: their id and State."""

    def __init__(self, user_id: int, state_code: str) -> None:
        self.id, self.state_code = user_id, state_code
