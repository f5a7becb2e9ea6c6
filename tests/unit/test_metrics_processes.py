"""With PROMETHEUS_MULTIPROC_DIR, a scrape adds up what every worker process counted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COUNT = "from network.core import metrics; metrics.MESSAGES_STORED.inc(); metrics.socket_opened()"
SCRAPE = "from network.core import metrics; print(metrics.exposition()[0].decode())"


def _run(code: str, directory: Path) -> str:
    environment = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_a_scrape_sums_the_counts_of_every_worker(tmp_path: Path) -> None:
    _run(COUNT, tmp_path)
    _run(COUNT, tmp_path)
    scraped = _run(SCRAPE, tmp_path).splitlines()
    assert "arnet_messages_stored_total 2.0" in scraped
    assert "arnet_socketio_connects_total 2.0" in scraped
