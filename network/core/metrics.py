"""Every Prometheus metric ARNet keeps, in one place; labels name endpoints, never content.

The edges count (after their commit); ``/metrics`` renders them with ``exposition``. With
several worker processes, ``PROMETHEUS_MULTIPROC_DIR`` names a directory they share (wiped
before the server starts, see gunicorn.conf.py), and a scrape adds up every process's files.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUESTS = Counter(
    "arnet_http_requests",
    "HTTP requests answered, by method, endpoint and status.",
    ["method", "endpoint", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "arnet_http_request_duration_seconds",
    "Time from a request's arrival to its answer, by method and endpoint.",
    ["method", "endpoint"],
)
SOCKET_CONNECTIONS = Gauge(
    "arnet_socketio_connections",
    "Socket.IO connections open now.",
    multiprocess_mode="livesum",
)
SOCKET_CONNECTS = Counter(
    "arnet_socketio_connects",
    "Socket.IO connections accepted.",
)
MESSAGES_STORED = Counter(
    "arnet_messages_stored",
    "Messages stored, over REST and Socket.IO alike (a retried send is counted once).",
)
REMINDER_OUTCOMES = Counter(
    "arnet_reminder_outcomes",
    "What the reminder job did: reminders made, e-mails sent, e-mails left pending.",
    ["outcome"],
)
INTEGRITY_FAILURES = Counter(
    "arnet_integrity_failures",
    "Sealed values that failed their integrity check when read, by table.",
    ["table"],
)
OUTAGE_EPISODES = Counter(
    "arnet_outage_episodes",
    "Outages begun, by kind (database, queue, disk, integrity): one per episode, not per failure.",
    ["kind"],
)
OUTAGE_ACTIVE = Gauge(
    "arnet_outage_active",
    "1 while an outage of this kind is under way in any live process, else 0.",
    ["kind"],
    multiprocess_mode="livemax",
)


def socket_opened() -> None:
    SOCKET_CONNECTS.inc()
    SOCKET_CONNECTIONS.inc()


def socket_closed() -> None:
    SOCKET_CONNECTIONS.dec()


def reminders_run(made: int, sent: int, failed: int) -> None:
    """Count one run of the reminder job."""
    REMINDER_OUTCOMES.labels(outcome="made").inc(made)
    REMINDER_OUTCOMES.labels(outcome="email_sent").inc(sent)
    REMINDER_OUTCOMES.labels(outcome="email_failed").inc(failed)


def exposition() -> tuple[bytes, str]:
    """The text a scrape reads, and its content type: every process's, in multiprocess mode."""
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST
