"""recognition of foreign orders: a request's conviction_based flag and its court steps

A request of kind ``recognition`` says whether the foreign order rests on a
conviction (54(1)(a)) or not (54(1)(c)); the requested State's courts' steps on it
are kept in ``recognition_steps``, their grounds and notes sealed.

Revision ID: b3e81f4c2a70
Revises: 9a1eed27571f
Create Date: 2026-12-01 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import network.core.types

# revision identifiers, used by Alembic.
revision = 'b3e81f4c2a70'
down_revision = '9a1eed27571f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assistance_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conviction_based', sa.Boolean(), nullable=True))

    op.create_table('recognition_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('hearing_on', sa.Date(), nullable=True),
    sa.Column('appeal_until', sa.Date(), nullable=True),
    sa.Column('grounds_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('note_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('at', network.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_recognition_steps_actor_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_requests.id'], name=op.f('fk_recognition_steps_request_id_assistance_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_steps'))
    )
    with op.batch_alter_table('recognition_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognition_steps_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recognition_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recognition_steps_request_id'))

    op.drop_table('recognition_steps')
    with op.batch_alter_table('assistance_requests', schema=None) as batch_op:
        batch_op.drop_column('conviction_based')
