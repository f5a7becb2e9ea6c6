"""channel shares: subjects and assets their owner side shared into a multilateral channel

One row per record shared (exactly one of subject_id and asset_id); withdrawing deletes it.

Revision ID: 9a9f6762588b
Revises: 2e02e6fd320d
Create Date: 2026-12-02 07:57:21.443532

"""
from alembic import op
import sqlalchemy as sa

import network.core.types


# revision identifiers, used by Alembic.
revision = '9a9f6762588b'
down_revision = '2e02e6fd320d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('channel_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('asset_id', sa.Integer(), nullable=True),
    sa.Column('shared_by_id', sa.Integer(), nullable=False),
    sa.Column('shared_at', network.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(subject_id IS NULL) <> (asset_id IS NULL)', name=op.f('ck_channel_shares_one_record')),
    sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_channel_shares_asset_id_assets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_shares_channel_id_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_channel_shares_shared_by_id_users')),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_channel_shares_subject_id_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_shares')),
    sa.UniqueConstraint('channel_id', 'asset_id', name='uq_channel_shares_asset'),
    sa.UniqueConstraint('channel_id', 'subject_id', name='uq_channel_shares_subject')
    )
    with op.batch_alter_table('channel_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_shares_channel_id'), ['channel_id'], unique=False)



def downgrade():
    with op.batch_alter_table('channel_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_shares_channel_id'))

    op.drop_table('channel_shares')
