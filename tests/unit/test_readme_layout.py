"""The README's layout table names every module of network/ and nothing that is not there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Folders the table sums up ("one module per resource") rather than list module by module.
SUMMED_UP = {"network/schemas", "network/api"}


def table_rows() -> dict[str, set[str]]:
    """``{folder: modules}`` from the README's "How the code is laid out" table."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`network"):
            continue
        folder = cells[0].strip("`").rstrip("/")
        rows[folder] = set(re.findall(r"`([a-z0-9_]+/?)`", cells[1]))
    return rows


def test_the_layout_table_matches_the_tree() -> None:
    rows = table_rows()
    folders = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "network").iterdir()
        if path.is_dir() and (path / "__init__.py").exists()
    } | {"network"}
    assert set(rows) == folders
    for folder, named in rows.items():
        here = ROOT / folder
        modules = {path.stem for path in here.glob("*.py") if path.stem != "__init__"}
        packages = {f"{path.name}/" for path in here.iterdir() if (path / "__init__.py").exists()}
        if folder == "network":
            modules |= {"__init__"}
            packages = set()
        there = modules | packages
        assert named <= there, f"{folder}: the README names what is not there: {named - there}"
        if folder in SUMMED_UP:
            continue
        missing = there - named
        assert not missing, f"{folder}: the README does not name {sorted(missing)}"
