"""Where the time of one message goes: the Socket.IO ``send`` path in one process, profiled.

``python bench/profile_send.py [DATABASE_URL]`` (default: a fresh SQLite file) opens a case
between two States, connects both members with Flask-SocketIO's test client (no network, so
what is left is ARNet's own work: authentication, validation, the sequence number, sealing,
the insert, the audit record, the commit and the emit), sends messages, prints the wall and
CPU time per message without a profiler, then a pyinstrument profile of the same loop.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pyinstrument import Profiler

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
from network.extensions import db, socketio

MESSAGES = 400


def _member(email: str, state: str) -> tuple[int, str]:
    user = create_user(
        None, email=email, name=email.split("@")[0], role="practitioner",
        affiliation=Affiliation(state), password="profile-only-password-1", now=clock.now())
    _token, raw = create_token(user, "profile", 1, now=clock.now(), max_days=1)
    return user.id, raw


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="arnet-profile-"))
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{scratch / 'arnet.db'}"
    app = create_app({
        "ENV_NAME": "testing", "DATABASE_URL": url, "INSTANCE_PATH": str(scratch),
        "KEYRING": str(scratch / "keyring.json"), "ATTACHMENT_DIR": str(scratch / "files"),
        "MESSAGE_SEND_LIMIT": "1000000/minute",
    })
    with app.app_context():
        db.drop_all()
        db.create_all()
        sync_states()
        (sender_id, sender_token), (counterpart_id, counterpart_token) = (
            _member("sender@civ.profile.example", "CIV"),
            _member("counterpart@che.profile.example", "CHE"))
        sender = db.session.get(User, sender_id)
        case = opening.open_case(sender, title="Profile", summary="", reference="P-1",
                               requested_states=["CHE"], counterparts=[counterpart_id],
                               now=clock.now())
        db.session.commit()
        channel = db.session.query(Channel).filter_by(case_id=case.id).one().id
    sending = socketio.test_client(app, auth={"token": sender_token})
    receiving = socketio.test_client(app, auth={"token": counterpart_token})
    for client in (sending, receiving):
        client.emit("join", {"channel": channel, "after_seq": 0}, callback=True)

    def send(count: int, tag: str) -> None:
        for number in range(count):
            answer = sending.emit("send", {
                "channel": channel, "client_id": f"{tag}-{number}",
                "body": "Please confirm the account holder before the order lapses. " * 3,
                "handling_code": "H2"}, callback=True)
            if "seq" not in answer:
                raise SystemExit(f"send refused: {answer}")

    send(50, "warm-up")
    wall, cpu = time.perf_counter(), time.process_time()
    send(MESSAGES, "timed")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    delivered = sum(1 for each in receiving.get_received() if each["name"] == "message")
    print(f"{url.split(':')[0]}: {MESSAGES} messages, "
          f"{wall / MESSAGES * 1e3:.2f} ms wall and {cpu / MESSAGES * 1e3:.2f} ms CPU each "
          f"(sender, server and receiver in this one process); {delivered} delivered")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    send(MESSAGES, "profiled")
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, short_mode=True))


if __name__ == "__main__":
    main()
