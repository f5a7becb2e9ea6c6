"""Browser fixtures: the app served on loopback in a thread, and Debian's headless Chromium."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("ARNET_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser
DESKTOP = (1280, 800)
PHONE = (375, 740)  # the narrowest phone the pages are made for


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve the test's app (HTTP and Socket.IO) on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.socket.getsockname()[1]
    app.config["ALLOWED_ORIGINS"] = f"http://127.0.0.1:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def new_context(
    chromium,
    base_url: str,
    locale: str = "en-GB",
    timezone_id: str = "Europe/Zurich",
    bypass_csp: bool = False,
    viewport: tuple[int, int] = DESKTOP,
) -> object:
    """A fresh browser context (own cookies) on ``base_url``; the caller closes it."""
    context = chromium.new_context(
        base_url=base_url,
        locale=locale,
        timezone_id=timezone_id,
        viewport={"width": viewport[0], "height": viewport[1]},
        bypass_csp=bypass_csp,
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def new_page(chromium, live_server: str) -> Iterator[object]:
    """``new_page(locale="ar")`` opens a page in a fresh browser context (own cookies).

    ``bypass_csp=True`` only for injecting test tools such as axe-core.
    """
    contexts = []

    def make(
        locale: str = "en-GB",
        timezone_id: str = "Europe/Zurich",
        bypass_csp: bool = False,
        viewport: tuple[int, int] = DESKTOP,
    ) -> object:
        context = new_context(chromium, live_server, locale, timezone_id, bypass_csp, viewport)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
