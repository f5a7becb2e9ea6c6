"""seal TOTP seeds and the issuing authority and order reference of measures

The values already stored are sealed here, with the keyring of the running
application (Flask-Migrate runs migrations inside it): TOTP seeds with the one
"accounts" data key (made here when the first seed needs it), a measure's fields
with its case's data key; each bound to its table, row and field. The plaintext
columns are then dropped. Downgrading opens them back into plaintext columns.

Revision ID: 75dc3549fb09
Revises: 278bf0cc7731
Create Date: 2026-11-29 10:00:00.000000

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import network.core.types

# revision identifiers, used by Alembic.
revision = '75dc3549fb09'
down_revision = '278bf0cc7731'
branch_labels = None
depends_on = None

# The data-key wrapping context and the accounts key's label, as the application writes them.
_CONTEXT_PREFIX = b"data_keys:"
_ACCOUNTS_LABEL = "accounts"
_BATCH = 1000

data_keys = sa.table(
    'data_keys',
    sa.column('id', sa.Integer),
    sa.column('label', sa.String),
    sa.column('kek_version', sa.Integer),
    sa.column('wrapped', sa.LargeBinary),
    sa.column('created_at', network.core.types.UTCDateTime()),
)
cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('data_key_id', sa.Integer))
users = sa.table(
    'users',
    sa.column('id', sa.Integer),
    sa.column('totp_secret', sa.String),
    sa.column('totp_secret_sealed', sa.LargeBinary),
)
measures = sa.table(
    'provisional_measures',
    sa.column('id', sa.Integer),
    sa.column('case_id', sa.Integer),
    sa.column('issuing_authority', sa.String),
    sa.column('order_reference', sa.String),
    sa.column('issuing_authority_sealed', sa.LargeBinary),
    sa.column('order_reference_sealed', sa.LargeBinary),
)
_MEASURE_FIELDS = ('issuing_authority', 'order_reference')


class _Keys:
    """Data keys unwrapped with the application's keyring, fetched only when a row needs one."""

    def __init__(self, connection):
        self.connection = connection
        self.unwrapped = {}
        self._keyring = None

    @property
    def keyring(self):
        if self._keyring is None:
            from network.wiring import keyring

            self._keyring = keyring()
        return self._keyring

    def by_id(self, key_id):
        if key_id not in self.unwrapped:
            from network.crypto import unwrap_data_key

            row = self.connection.execute(
                sa.select(data_keys).where(data_keys.c.id == key_id)
            ).one()
            context = _CONTEXT_PREFIX + row.label.encode('ascii')
            self.unwrapped[key_id] = unwrap_data_key(
                self.keyring, row.kek_version, row.wrapped, context
            )
        return self.unwrapped[key_id]

    def accounts(self):
        """The accounts data key's id, made now if the application has not made it yet."""
        from network.crypto import new_data_key, wrap_data_key

        found = self.connection.scalar(
            sa.select(data_keys.c.id).where(data_keys.c.label == _ACCOUNTS_LABEL)
        )
        if found is not None:
            return found
        key = new_data_key()
        context = _CONTEXT_PREFIX + _ACCOUNTS_LABEL.encode('ascii')
        version, wrapped = wrap_data_key(self.keyring, key, context)
        self.connection.execute(
            data_keys.insert().values(
                label=_ACCOUNTS_LABEL,
                kek_version=version,
                wrapped=wrapped,
                created_at=datetime.now(UTC),
            )
        )
        found = self.connection.scalar(
            sa.select(data_keys.c.id).where(data_keys.c.label == _ACCOUNTS_LABEL)
        )
        self.unwrapped[found] = key
        return found


def _aad(table, row_id, field):
    from network.crypto import record_aad

    return record_aad(table, row_id, None, None, field)


def _seal(key, text, table, row_id, field):
    from network.crypto import seal

    return seal(key, text.encode('utf-8'), _aad(table, row_id, field))


def _open(key, sealed, table, row_id, field):
    from network.crypto import open_sealed

    return open_sealed(key, sealed, _aad(table, row_id, field)).decode('utf-8')


def _batches(connection, query, key_column):
    """Rows in id order, a batch at a time, so a large table never sits in memory at once."""
    after = 0
    while True:
        rows = connection.execute(
            query.where(key_column > after).order_by(key_column).limit(_BATCH)
        ).all()
        if not rows:
            return
        yield rows
        after = rows[-1].id


def _seal_existing(connection):
    keys = _Keys(connection)
    seeded = sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    for rows in _batches(connection, seeded, users.c.id):
        key = keys.by_id(keys.accounts())
        for row in rows:
            connection.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(
                    totp_secret_sealed=_seal(
                        key, row.totp_secret, 'users', row.id, 'totp_secret'
                    )
                )
            )
    recorded = sa.select(
        measures.c.id,
        measures.c.issuing_authority,
        measures.c.order_reference,
        cases.c.data_key_id,
    ).join(cases, cases.c.id == measures.c.case_id)
    for rows in _batches(connection, recorded, measures.c.id):
        for row in rows:
            key = keys.by_id(row.data_key_id)
            connection.execute(
                measures.update()
                .where(measures.c.id == row.id)
                .values(
                    {
                        f'{field}_sealed': _seal(
                            key, getattr(row, field) or '', 'provisional_measures', row.id, field
                        )
                        for field in _MEASURE_FIELDS
                    }
                )
            )


def _open_existing(connection):
    keys = _Keys(connection)
    seeded = sa.select(users.c.id, users.c.totp_secret_sealed).where(
        users.c.totp_secret_sealed.is_not(None)
    )
    for rows in _batches(connection, seeded, users.c.id):
        key = keys.by_id(keys.accounts())
        for row in rows:
            seed = _open(key, row.totp_secret_sealed, 'users', row.id, 'totp_secret')
            connection.execute(
                users.update().where(users.c.id == row.id).values(totp_secret=seed)
            )
    recorded = sa.select(
        measures.c.id,
        measures.c.issuing_authority_sealed,
        measures.c.order_reference_sealed,
        cases.c.data_key_id,
    ).join(cases, cases.c.id == measures.c.case_id)
    for rows in _batches(connection, recorded, measures.c.id):
        for row in rows:
            key = keys.by_id(row.data_key_id)
            connection.execute(
                measures.update()
                .where(measures.c.id == row.id)
                .values(
                    {
                        field: _open(
                            key,
                            getattr(row, f'{field}_sealed'),
                            'provisional_measures',
                            row.id,
                            field,
                        )
                        for field in _MEASURE_FIELDS
                    }
                )
            )


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret_sealed', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('provisional_measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuing_authority_sealed', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('order_reference_sealed', sa.LargeBinary(), nullable=True))

    _seal_existing(op.get_bind())

    with op.batch_alter_table('provisional_measures', schema=None) as batch_op:
        batch_op.alter_column(
            'issuing_authority_sealed', existing_type=sa.LargeBinary(), nullable=False
        )
        batch_op.alter_column(
            'order_reference_sealed', existing_type=sa.LargeBinary(), nullable=False
        )
        batch_op.drop_column('issuing_authority')
        batch_op.drop_column('order_reference')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_secret')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
    with op.batch_alter_table('provisional_measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuing_authority', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('order_reference', sa.String(length=100), nullable=True))

    _open_existing(op.get_bind())

    with op.batch_alter_table('provisional_measures', schema=None) as batch_op:
        batch_op.alter_column(
            'issuing_authority', existing_type=sa.String(length=300), nullable=False
        )
        batch_op.alter_column('order_reference', existing_type=sa.String(length=100), nullable=False)
        batch_op.drop_column('issuing_authority_sealed')
        batch_op.drop_column('order_reference_sealed')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_secret_sealed')
