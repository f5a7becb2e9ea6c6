"""The baseline: a bare Flask-SocketIO echo (no auth, no storage, no encryption), same server.

``join`` puts the socket in the channel's room; ``send`` emits the message to that room and
acknowledges with a seq, the same shapes as ARNet's events, so the same client drives both.
"""

from __future__ import annotations

import itertools
import os
import threading
from typing import Any

from flask import Flask
from flask_socketio import SocketIO, join_room

app = Flask(__name__)
# The same async mode as the ARNet server it is compared with (the harness sets it).
socketio = SocketIO(
    app, async_mode=os.environ.get("ARNET_ASYNC_MODE", "threading"), cors_allowed_origins=[]
)
_seqs: dict[int, itertools.count[int]] = {}
_lock = threading.Lock()


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@socketio.on("connect")
def connect(auth: Any = None) -> bool:
    return True


@socketio.on("join")
def join(data: dict[str, Any]) -> dict[str, Any]:
    join_room(f"channel:{data['channel']}")
    return {"channel": data["channel"], "messages": [], "more": False}


@socketio.on("send")
def send(data: dict[str, Any]) -> dict[str, Any]:
    channel = int(data["channel"])
    with _lock:
        seq = next(_seqs.setdefault(channel, itertools.count(1)))
    message = {"channel": channel, "seq": seq, "body": data["body"],
               "handling_code": data["handling_code"], "client_id": data["client_id"]}
    socketio.emit("message", message, to=f"channel:{channel}")
    return {"seq": seq}
