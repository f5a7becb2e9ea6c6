"""``flask --app wsgi network ...``: commands for operators and the test suite.

One module per family of commands; this one only gathers them into the group.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from network.cli import audit, backup, demo, directory, keys, reminders, setup, uploads, users


def _checkpoint_when_done() -> None:
    """Every command ends by checkpointing the audit head it committed: no timer runs here."""
    from network.wiring import audit_checkpoints

    click.get_current_context().call_on_close(audit_checkpoints().flush)


network_cli = AppGroup(
    "network", help="ARNet administration commands.", callback=_checkpoint_when_done
)

for command in (
    setup.sync_states,
    setup.init_keyring,
    users.create_user,
    users.create_token,
    audit.verify_audit,
    audit.verify_integrity,
    audit.index_matches,
    demo.seed_demo,
    keys.rotate_keys,
    keys.retire_keys,
    backup.backup,
    backup.restore,
    directory.import_directory,
    directory.export_directory,
    directory.directory_report,
    reminders.send_reminders,
    uploads.clean_uploads_command,
):
    network_cli.add_command(command)
