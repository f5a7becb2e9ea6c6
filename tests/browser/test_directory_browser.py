"""Directory search as you type in a real headless Chromium (no inline script, CSP intact)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.test_sign_in_browser import fill_password
from tests.conftest import PASSWORD

if TYPE_CHECKING:
    from tests.directory_fixtures import SmallDirectory

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.directory_fixtures"]


def test_results_appear_as_one_types_without_a_page_reload(
    small_directory: SmallDirectory, new_page
):
    page = new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    fill_password(page, small_directory.cast.lea.email, PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Directory").click()
    page.wait_for_url("**/directory")
    page.evaluate("window.__same_page = true")
    page.get_by_label("Search States, authorities and focal points").fill("科特迪瓦")
    first = page.locator("#directory-list li a").first
    first.wait_for()
    assert first.inner_text() == "Côte d’Ivoire"
    assert page.evaluate("window.__same_page") is True  # no reload happened
    page.get_by_label("Search States, authorities and focal points").fill("Dmitry Volkov")
    page.locator("#directory-list li a", has_text="Дмитрий Волков").first.wait_for()
    assert page.locator("#directory-list mark").count() >= 1
    # The favicon's 404 is not ours; a CSP refusal or a script error would be.
    assert [error for error in errors if "Failed to load resource" not in error] == []
