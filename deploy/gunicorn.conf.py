"""gunicorn's settings for one ARNet worker process (``gunicorn -c deploy/gunicorn.conf.py``).

One process per port: Socket.IO keeps each connection's state in the process that
accepted it, so processes are not forked behind one socket but run side by side on
their own ports (deploy/systemd/arnet-web@.service), nginx pinning each client to one
(deploy/nginx/arnet.conf) and Redis carrying messages between them. Threads, not
processes, give a worker its concurrency; ``ARNET_BIND`` and ``ARNET_THREADS`` set
the port and their number.

With ``PROMETHEUS_MULTIPROC_DIR`` set, each process writes its metrics to files there
and a scrape of /metrics adds them up (network/core/metrics.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prometheus_client import multiprocess

wsgi_app = "wsgi:app"
bind = os.environ.get("ARNET_BIND", "127.0.0.1:8001")
worker_class = "gthread"
workers = 1
threads = int(os.environ.get("ARNET_THREADS", "200"))
# A WebSocket holds its thread for as long as it is open; the worker still answers the
# master's heartbeat, so this bounds only a worker that stops answering altogether.
timeout = 60
graceful_timeout = 20
# The application writes one JSON line per request itself (ARNET_LOG_FORMAT=json).
accesslog = None
# gunicorn's control socket has one default path per user, which the instances on one
# machine would share; systemd starts and stops them instead.
control_socket_disable = True


def on_starting(server: Any) -> None:
    """Start from empty metric files: the last run's would be counted again."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        for leftover in Path(directory).glob("*.db"):
            leftover.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A worker that ends takes its open Socket.IO connections out of the live gauge."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
