"""multilateral channels: a channel's kind, and the requested States invited to a table

Every existing channel becomes ``bilateral`` (the server default). A multilateral channel
names no requested State (``requested_state`` becomes nullable); ``channel_parties`` holds
each invited State's answer (pending, accepted, declined), who gave it and when. Downgrade
drops the multilateral channels first (their messages go with them), as bilateral channels
need their requested State.

Revision ID: 2e02e6fd320d
Revises: 2fc1aa21dad3
Create Date: 2026-12-02 07:33:23.349492

"""
from alembic import op
import sqlalchemy as sa

import network.core.types


# revision identifiers, used by Alembic.
revision = '2e02e6fd320d'
down_revision = '2fc1aa21dad3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('channel_parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('state_code', sa.String(length=3), nullable=False),
    sa.Column('answer', sa.String(length=16), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('invited_at', network.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', network.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_channel_parties_answered_by_id_users')),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_parties_channel_id_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_channel_parties_invited_by_id_users')),
    sa.ForeignKeyConstraint(['state_code'], ['states.code'], name=op.f('fk_channel_parties_state_code_states')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_parties')),
    sa.UniqueConstraint('channel_id', 'state_code', name=op.f('uq_channel_parties_channel_id'))
    )
    with op.batch_alter_table('channel_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_parties_channel_id'), ['channel_id'], unique=False)

    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='bilateral', nullable=False))
        batch_op.alter_column('requested_state',
               existing_type=sa.VARCHAR(length=3),
               nullable=True)



def downgrade():
    op.execute("DELETE FROM channels WHERE kind = 'multilateral'")
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.alter_column('requested_state',
               existing_type=sa.VARCHAR(length=3),
               nullable=False)
        batch_op.drop_column('kind')

    with op.batch_alter_table('channel_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_parties_channel_id'))

    op.drop_table('channel_parties')
