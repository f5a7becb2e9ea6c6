"""What serialising read-decide-write costs: concurrent request steps beside the engine's floor.

Run with a bench site's settings (``Site.run``); prints one JSON line. THREADS officers each
move a request of their own (no two touch one record) back and forth between draft and
shared for comment through ``assistance.requests.transition``: the request locked with
``load_for_change``, the step checked, its history row and audit record written, one
commit. The floor, in the same process and threads, is the engine's own cost of one
committed write of that request's row, with nothing read or decided. On SQLite both take
the database's one write lock; on PostgreSQL each locks its own row. One thread alone
tells what a step costs when nothing waits: if THREADS do no better, the lock is the limit.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable

from sqlalchemy import update

from network import create_app
from network.core import clock
from network.extensions import db

THREADS = 8
SECONDS = 4.0


def _prepare() -> tuple[int, list[int]]:
    """An officer of Côte d'Ivoire, a case toward Switzerland and one draft per thread."""
    from network.assistance.requests import create_request
    from network.auth.accounts import create_user
    from network.cases import opening
    from network.directory.affiliation import Affiliation

    now = clock.now()
    tag = secrets.token_hex(3)
    officer = create_user(
        None,
        email=f"steps-{tag}@civ.bench.example",
        name="Steps Officer",
        role="practitioner",
        affiliation=Affiliation("CIV"),
        password=secrets.token_urlsafe(18),
        now=now,
    )
    counterpart = create_user(
        None,
        email=f"steps-{tag}@che.bench.example",
        name="Steps Counterpart",
        role="practitioner",
        affiliation=Affiliation("CHE"),
        password=secrets.token_urlsafe(18),
        now=now,
    )
    case = opening.open_case(
        officer,
        title=f"Steps {tag}",
        summary="Serialised steps",
        reference=f"STEPS-{tag}",
        requested_states=["CHE"],
        counterparts=[counterpart.id],
        now=now,
    )
    ids = [
        create_request(
            officer,
            case.id,
            kind="mla",
            requested_state="CHE",
            legal_basis="uncac",
            transmission_channel="central_authority",
            now=now,
        ).id
        for _ in range(THREADS)
    ]
    db.session.commit()
    return officer.id, ids


def _rate(app: object, work: Callable[[int], None], ids: list[int]) -> float:
    """Committed operations per second of THREADS threads, each on its own request."""
    done = [0] * len(ids)
    stop = time.monotonic() + SECONDS
    barrier = threading.Barrier(len(ids))

    def loop(index: int) -> None:
        with app.app_context():  # type: ignore[attr-defined]
            barrier.wait()
            while time.monotonic() < stop:
                work(ids[index])
                done[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def main() -> None:
    from network.assistance.models import AssistanceRequest
    from network.assistance.requests import transition
    from network.auth.models import User

    app = create_app()
    with app.app_context():
        officer_id, ids = _prepare()
    following = {"draft": "shared_for_comment", "shared_for_comment": "draft"}

    def step(request_id: int) -> None:
        officer = db.session.get(User, officer_id)
        current = db.session.get(AssistanceRequest, request_id)
        assert officer is not None
        assert current is not None
        transition(officer, request_id, to=following[current.status], now=clock.now())
        db.session.commit()

    def plain_write(request_id: int) -> None:
        db.session.execute(
            update(AssistanceRequest)
            .where(AssistanceRequest.id == request_id)
            .values(urgent=AssistanceRequest.urgent)
        )
        db.session.commit()

    floor = _rate(app, plain_write, ids)
    steps = _rate(app, step, ids)
    alone = _rate(app, step, ids[:1])  # what one officer's steps cost with no one waiting
    print(
        json.dumps(
            {
                "threads": THREADS,
                "steps_per_s": steps,
                "one_thread_steps_per_s": alone,
                "floor_per_s": floor,
            }
        )
    )


if __name__ == "__main__":
    main()
