"""The dependency directions of STYLE.md hold: entry points → services → models, crypto, core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "network"
DOMAIN = [
    "auth", "audit", "directory", "cases", "messages", "assistance", "recovery",
    "disclosures", "notifications", "reporting", "demo", "sealing",
]
EDGES = ["api", "web", "realtime"]
# Names from Flask that only an entry point may use: the request and what hangs off it.
REQUEST_BOUND = {"request", "session", "g", "flash", "url_for", "abort", "redirect"}


def imports_of(path: Path) -> list[tuple[str, set[str]]]:
    """(module, names) for every import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, {alias.name for alias in node.names}))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, set()) for alias in node.names)
    return found


def files_of(part: str) -> list[Path]:
    target = PACKAGE / part
    return sorted(target.rglob("*.py")) if target.is_dir() else [target.with_suffix(".py")]


@pytest.mark.parametrize("part", [p for p in DOMAIN if (PACKAGE / p).exists()])
def test_domain_code_never_touches_the_request_or_the_edges(part: str):
    for path in files_of(part):
        for module, names in imports_of(path):
            where = f"{path.relative_to(PACKAGE.parent)} imports {module}"
            assert not module.startswith(("flask_socketio", "marshmallow", "flask_smorest")), where
            assert not any(module.startswith(f"network.{edge}") for edge in [*EDGES, "cli"]), where
            if module == "flask":
                assert not names & REQUEST_BOUND, f"{where} {sorted(names & REQUEST_BOUND)}"


@pytest.mark.parametrize("part", ["core", "crypto"])
def test_core_and_crypto_know_no_flask(part: str):
    for path in files_of(part):
        for module, _names in imports_of(path):
            assert not module.startswith(("flask", "network.extensions")), (
                f"{path.relative_to(PACKAGE.parent)} imports {module}"
            )


@pytest.mark.parametrize("edge", EDGES)
def test_entry_points_do_not_import_each_other(edge: str):
    others = [other for other in EDGES if other != edge]
    for path in files_of(edge):
        for module, _names in imports_of(path):
            if edge == "realtime" and module.startswith("network.api.") and "schema" in module:
                continue  # realtime may reuse the API's schemas
            assert not any(module.startswith(f"network.{other}") for other in others), (
                f"{path.relative_to(PACKAGE.parent)} imports {module}"
            )
