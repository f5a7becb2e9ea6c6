"""Where the time of a REST call goes: post a message and fetch 50 after a seq, in one process.

``python bench/profile_rest.py [DATABASE_URL] [--profile]`` (default: a fresh SQLite file)
opens a case between two States, posts messages with a bearer token through Flask's test
client (no network, no server: what is left is ARNet's own work and Flask's), and times
``GET /healthz``, ``POST .../messages`` and ``GET .../messages?after_seq=..&limit=50``
interleaved, so that the machine's noise falls on all three alike. It prints p50 and p99 of
each, their ratio to ``/healthz``, the CPU time of each (steadier than wall time on a busy
machine), and the SQL statements and connection checkouts of one call of each; with
``--profile``, a pyinstrument profile of the post and fetch loops.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from network import create_app
from network.auth.accounts import create_user
from network.auth.models import User
from network.auth.tokens import create_token
from network.cases import opening
from network.cases.models import Channel
from network.core import clock
from network.directory.affiliation import Affiliation
from network.directory.states import sync_states
from network.extensions import db

ROUNDS = int(os.environ.get("ROUNDS", "600"))
WARM_UP = 50
BODY = "Please confirm the account holder before the order lapses. " * 3


def _member(email: str, state: str) -> tuple[int, str]:
    user = create_user(
        None,
        email=email,
        name=email.split("@")[0],
        role="practitioner",
        affiliation=Affiliation(state),
        password="profile-only-password-1",
        now=clock.now(),
    )
    _token, raw = create_token(user, "profile", 1, now=clock.now(), max_days=1)
    return user.id, raw


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="arnet-rest-"))
    arguments = [each for each in sys.argv[1:] if not each.startswith("--")]
    url = arguments[0] if arguments else f"sqlite:///{scratch / 'arnet.db'}"
    app = create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(scratch),
            "KEYRING": str(scratch / "keyring.json"),
            "ATTACHMENT_DIR": str(scratch / "files"),
            "MESSAGE_SEND_LIMIT": "1000000/minute",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        sync_states()
        (sender_id, token), (counterpart_id, _other) = (
            _member("sender@civ.rest.example", "CIV"),
            _member("counterpart@che.rest.example", "CHE"),
        )
        sender = db.session.get(User, sender_id)
        case = opening.open_case(
            sender,
            title="REST",
            summary="",
            reference="R-1",
            requested_states=["CHE"],
            counterparts=[counterpart_id],
            now=clock.now(),
        )
        db.session.commit()
        channel = db.session.query(Channel).filter_by(case_id=case.id).one().id
        engine = db.engine

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/channels/{channel}/messages"
    rng = random.Random(5)
    posted = 0

    def healthz() -> Any:
        return client.get("/healthz")

    def post() -> Any:
        nonlocal posted
        posted += 1
        return client.post(
            path,
            headers=headers,
            json={"client_id": f"rest-{posted}", "body": BODY, "handling_code": "H1"},
        )

    def fetch() -> Any:
        after = rng.randint(0, max(0, posted - 50))
        return client.get(path, headers=headers, query_string={"after_seq": after, "limit": 50})

    calls: dict[str, Callable[[], Any]] = {"healthz": healthz, "post": post, "fetch50": fetch}
    expected = {"healthz": 200, "post": 201, "fetch50": 200}
    for _ in range(WARM_UP + 50):
        for name, call in calls.items():
            answer = call()
            if answer.status_code != expected[name]:
                raise SystemExit(f"{name}: {answer.status_code} {answer.text[:300]}")

    times: dict[str, list[float]] = {name: [] for name in calls}
    cpu: dict[str, float] = dict.fromkeys(calls, 0.0)
    for _ in range(ROUNDS):
        for name, call in calls.items():
            started, cpu_started = time.perf_counter(), time.thread_time()
            call()
            times[name].append(time.perf_counter() - started)
            cpu[name] += time.thread_time() - cpu_started

    counts: dict[str, int] = {}
    checkouts: dict[str, int] = {}
    for name, call in calls.items():
        seen: list[str] = []
        taken: list[object] = []

        def note(_c: Any, _k: Any, statement: str, *_a: Any, into: list[str] = seen) -> None:
            into.append(statement)

        def checkout(*args: Any, into: list[object] = taken) -> None:
            into.append(args)

        event.listen(engine, "before_cursor_execute", note)
        event.listen(engine.pool, "checkout", checkout)
        call()
        event.remove(engine, "before_cursor_execute", note)
        event.remove(engine.pool, "checkout", checkout)
        counts[name], checkouts[name] = len(seen), len(taken)

    floor50, floor99 = (_percentile(times["healthz"], share) for share in (0.5, 0.99))
    print(f"{url.split(':')[0]}: {ROUNDS} rounds, {posted} messages in the channel")
    for name, values in times.items():
        p50, p99 = _percentile(values, 0.5), _percentile(values, 0.99)
        print(
            f"  {name:8} p50 {p50 * 1e3:6.2f} ms  p99 {p99 * 1e3:6.2f} ms  "
            f"({p50 / floor50:4.1f}x / {p99 / floor99:4.1f}x healthz; "
            f"CPU {cpu[name] / ROUNDS * 1e3:.2f} ms; {counts[name]} statements, "
            f"{checkouts[name]} connection checkouts)"
        )

    if "--profile" in sys.argv:
        from pyinstrument import Profiler

        for name in ("post", "fetch50"):
            profiler = Profiler(interval=0.0002)
            profiler.start()
            for _ in range(200):
                calls[name]()
            profiler.stop()
            print(f"--- {name}")
            print(profiler.output_text(unicode=True, color=False, short_mode=True))


if __name__ == "__main__":
    main()
