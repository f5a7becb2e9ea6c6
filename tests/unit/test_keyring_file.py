"""Specifications for the keyring file as a running process sees it while others rotate it."""

from __future__ import annotations

from pathlib import Path

import pytest

from network.crypto import Keyring, KeyringCorrupt, KeyringFile, UnknownKeyVersion


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _rotate(path: Path) -> int:
    """What rotate-keys does in its own process: add a version and save the file."""
    keyring = Keyring.load(path)
    version = keyring.add_version()
    keyring.save(path)
    return version


def test_a_rotation_by_another_process_is_taken_up_at_the_next_look(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    clock = FakeMonotonic()
    watched = KeyringFile(path, create=True, check_every=1.0, monotonic=clock)

    _rotate(path)
    clock.now += 0.5
    assert watched.current().current_version == 1  # looked less than a second ago
    clock.now += 0.5
    assert watched.current().current_version == 2


def test_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    clock = FakeMonotonic()
    watched = KeyringFile(path, create=True, check_every=1.0, monotonic=clock)
    first = watched.current()

    clock.now += 5
    assert watched.current() is first


def test_a_keyring_file_broken_after_start_up_leaves_the_one_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    clock = FakeMonotonic()
    watched = KeyringFile(path, create=True, check_every=1.0, monotonic=clock)
    path.write_text("not a keyring")

    clock.now += 2
    assert watched.current().current_version == 1


def test_reload_reads_a_version_named_by_a_data_key_at_once(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    watched = KeyringFile(path, create=True, check_every=3600, monotonic=FakeMonotonic())
    version = _rotate(path)

    with pytest.raises(UnknownKeyVersion):
        watched.current().kek(version)
    assert len(watched.reload().kek(version)) == 32


def test_only_old_versions_can_be_removed(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    Keyring.load_or_create(path)
    _rotate(path)
    keyring = Keyring.load(path)

    with pytest.raises(KeyringCorrupt):
        keyring.remove_version(2)
    keyring.remove_version(1)
    assert keyring.versions == [2]
    with pytest.raises(UnknownKeyVersion):
        keyring.remove_version(1)
