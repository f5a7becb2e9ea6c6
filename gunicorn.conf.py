"""gunicorn's settings file (read from the working directory): Prometheus with several workers.

With ``PROMETHEUS_MULTIPROC_DIR`` set, each worker writes its metrics to files there and a
scrape of /metrics adds them up (network/core/metrics.py); without it these hooks do nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prometheus_client import multiprocess


def on_starting(server: Any) -> None:
    """Start from empty files: the last run's would be counted again."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        for leftover in Path(directory).glob("*.db"):
            leftover.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A worker that ends takes its open Socket.IO connections out of the live gauge."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
