"""The demo directory survives export and import into an empty database, through the CLI too."""

from __future__ import annotations

import json
from pathlib import Path

from network import create_app
from network.core import clock
from network.demo.seed import seed
from network.directory import exchange_export
from network.extensions import db


def test_export_then_import_of_the_demo_directory_into_an_empty_database_is_identical(
    app, tmp_path: Path
):
    seed(clock.now())
    db.session.commit()
    runner = app.test_cli_runner()
    exported = runner.invoke(
        args=["network", "export-directory", "--output", str(tmp_path / "d.json")]
    )
    assert exported.exit_code == 0, exported.output
    before = (tmp_path / "d.json").read_text(encoding="utf-8")
    document = json.loads(before)
    assert len(document["states"]) == 195
    assert len({record["state"] for record in document["authorities"]}) >= 30
    report = runner.invoke(args=["network", "directory-report"])
    assert "stale" in report.output

    empty = create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
            "INSTANCE_PATH": str(tmp_path / "empty-instance"),
            "KEYRING": str(tmp_path / "empty-instance" / "keyring.json"),
        }
    )
    with empty.app_context():
        db.create_all()
        other = empty.test_cli_runner()
        imported = other.invoke(args=["network", "import-directory", str(tmp_path / "d.json")])
        assert imported.exit_code == 0, imported.output
        again = other.invoke(args=["network", "export-directory"])
        assert again.output == before
        csv_out = exchange_export.export_csv("authorities")
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    assert csv_out.startswith("key,state,kind")


def test_import_directory_reports_every_bad_row_and_writes_nothing(app, tmp_path: Path):
    seed(clock.now())
    db.session.commit()
    text = exchange_export.export_csv("focal_points")
    header, first, *rest = text.splitlines()
    bad = first.replace("@", "-at-", 1)
    (tmp_path / "fp.csv").write_text("\n".join([header, *rest[:3], bad]) + "\n", encoding="utf-8")
    before = exchange_export.export_json(("focal_points",))
    result = app.test_cli_runner().invoke(
        args=["network", "import-directory", str(tmp_path / "fp.csv"), "--kind", "focal_points"]
    )
    assert result.exit_code == 1
    assert "row 5: email" in result.output
    assert exchange_export.export_json(("focal_points",)) == before
