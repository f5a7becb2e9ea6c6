"""The keyring's audit key: made with the keyring, added once to an older file, never rotated."""

from __future__ import annotations

import base64
import json
import os
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from network.crypto import Keyring, KeyringCorrupt


def older_keyring(path: Path) -> bytes:
    """A keyring file as written before the audit key existed; returns its KEK."""
    kek = os.urandom(32)
    keys = {"1": base64.b64encode(kek).decode()}
    document = {"format": "arnet-keyring-1", "current": 1, "keys": keys}
    path.write_text(json.dumps(document))
    path.chmod(0o600)
    return kek


def audit_key_of(path: str) -> bytes:
    return Keyring.load(path).audit_key


def test_a_new_keyring_holds_an_audit_key_that_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"

    created = Keyring.load_or_create(path)

    assert len(created.audit_key) == 32
    assert created.audit_key != created.kek(1)
    assert Keyring.load(path).audit_key == created.audit_key


def test_kek_rotation_leaves_the_audit_key_alone(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    keyring = Keyring.load_or_create(path)
    before = keyring.audit_key

    keyring.add_version()
    keyring.save(path)

    rotated = Keyring.load(path)
    assert rotated.current_version == 2
    assert rotated.audit_key == before


def test_an_older_keyring_gets_an_audit_key_written_back_on_load(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    kek = older_keyring(path)

    loaded = Keyring.load(path)

    assert loaded.kek(1) == kek
    assert Keyring.load(path).audit_key == loaded.audit_key
    assert "audit_key" in json.loads(path.read_text())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["keyring.json"]


def test_processes_loading_an_older_keyring_at_once_agree_on_one_audit_key(
    tmp_path: Path,
) -> None:
    path = tmp_path / "keyring.json"
    older_keyring(path)

    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = set(pool.map(audit_key_of, [str(path)] * 8))

    assert keys == {Keyring.load(path).audit_key}


def test_an_older_keyring_that_cannot_be_written_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "keyring.json"
    older_keyring(path)

    def read_only(self: Keyring, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Keyring, "save", read_only)
    with pytest.raises(KeyringCorrupt, match="no audit key"):
        Keyring.load(path)


@pytest.mark.parametrize("audit_key", [5, "not base64!", base64.b64encode(bytes(16)).decode()])
def test_a_malformed_audit_key_is_refused(tmp_path: Path, audit_key: object) -> None:
    path = tmp_path / "keyring.json"
    older_keyring(path)
    document = json.loads(path.read_text())
    path.write_text(json.dumps({**document, "audit_key": audit_key}))

    with pytest.raises(KeyringCorrupt):
        Keyring.load(path)
