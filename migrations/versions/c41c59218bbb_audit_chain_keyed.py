"""audit chain keyed with the keyring's audit key

Revision ID: c41c59218bbb
Revises: 6887dca679fd
Create Date: 2026-11-28 12:00:00.000000

Until this revision each audit digest was plain SHA-256 of the record and its back-link, so
whoever could write to the database could also re-chain the trail. From here on a digest is
HMAC-SHA-256 under the keyring's audit key. The records already there are re-chained under
the key here rather than marked with a per-record scheme: a "plain" marker would be one more
thing an attacker could write (mark a forged stretch as plain and recompute it), every verify
would carry the old rule forever, and no deployment exists whose old digests must be kept.
The plain chain is verified first, so a trail altered before the upgrade is refused, not
laundered into a keyed one; the re-chained head is then checkpointed, so verify-audit holds
the upgraded trail against it at once.
"""
import hashlib
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

import network.core.types
from network.audit.checkpoint import Head
from network.audit.service import GENESIS, canonical, keyed_digest


# revision identifiers, used by Alembic.
revision = 'c41c59218bbb'
down_revision = '6887dca679fd'
branch_labels = None
depends_on = None

_BATCH = 1000

records = sa.table(
    'audit_records',
    sa.column('id', sa.Integer()),
    sa.column('at', network.core.types.UTCDateTime()),
    sa.column('actor_id', sa.Integer()),
    sa.column('action', sa.String()),
    sa.column('target_type', sa.String()),
    sa.column('target_id', sa.String()),
    sa.column('client_address', sa.String()),
    sa.column('details', sa.JSON()),
    sa.column('previous_digest', sa.String()),
    sa.column('digest', sa.String()),
)


def _plain(record):
    return hashlib.sha256(canonical(record)).hexdigest()


def _keyed(record):
    from network.wiring import keyring

    return keyed_digest(keyring().audit_key, record)


def _batches(connection):
    after = 0
    while True:
        rows = connection.execute(
            sa.select(records).where(records.c.id > after).order_by(records.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        yield rows
        after = rows[-1].id


def _check(connection, stored):
    """Refuse to go on unless every record verifies under the digest it was written with."""
    previous, expected = GENESIS, 1
    for rows in _batches(connection):
        for row in rows:
            if row.id != expected or row.previous_digest != previous or stored(row) != row.digest:
                raise RuntimeError(
                    f'audit record {expected} does not verify as it stands: the trail was '
                    'altered before this migration; nothing was re-chained'
                )
            previous, expected = row.digest, expected + 1


def _rechain(stored, wanted):
    """Check the whole chain under ``stored``, then rewrite it in order under ``wanted``.

    Checked in full first, so a refusal leaves every record as it was. Returns the new head,
    or None for an empty trail.
    """
    connection = op.get_bind()
    _check(connection, stored)
    rewrite = (
        records.update()
        .where(records.c.id == sa.bindparam('record_id'))
        .values(previous_digest=sa.bindparam('new_previous'), digest=sa.bindparam('new_digest'))
    )
    previous, last = GENESIS, 0
    for rows in _batches(connection):
        changes = []
        for row in rows:
            moved = SimpleNamespace(**{**row._asdict(), 'previous_digest': previous})
            changes.append({'record_id': row.id, 'new_previous': previous})
            previous = changes[-1]['new_digest'] = wanted(moved)
            last = row.id
        connection.execute(rewrite, changes)
    return Head(last, previous) if last else None


def upgrade():
    head = _rechain(_plain, _keyed)
    if head is not None:
        from network.wiring import audit_checkpoints

        audit_checkpoints().file.advance(head)


def downgrade():
    _rechain(_keyed, _plain)
