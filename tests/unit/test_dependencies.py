"""Dependency floors that security depends on."""

from __future__ import annotations

from importlib.metadata import version

from packaging.version import Version


def test_socketio_and_engineio_are_past_the_message_queue_rce_and_dos_fixes():
    assert Version(version("python-socketio")) >= Version("5.16.3")
    assert Version(version("python-engineio")) >= Version("4.13.3")


def test_setup_cfg_pins_the_same_floors():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "setup.cfg").read_text()
    assert "python-socketio>=5.16.3" in text
    assert "python-engineio>=4.13.3" in text
