"""The ARNet application as the benchmarks serve it: ``wsgi.app`` with the bench's send throttle.

The per-user Socket.IO send throttle (120 a minute) guards against a misbehaving client; the
benchmarks drive thousands of messages a second from a handful of synthetic users, so they
raise it through ``BENCH_SOCKET_SEND_LIMIT``. The throttle is still checked on every send.
"""

from __future__ import annotations

import os

from network import create_app
from network.extensions import socketio

app = create_app(
    {
        "ENV_NAME": os.environ.get("ARNET_ENV", "development"),
        "SOCKET_SEND_LIMIT": os.environ.get("BENCH_SOCKET_SEND_LIMIT", "1000000/minute"),
    }
)

__all__ = ["app", "socketio"]
