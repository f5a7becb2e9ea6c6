"""notice preferences: how each user wants each kind of notice delivered

One row per user and kind they chose (in the app only, at once by e-mail, or in a
daily digest); without a row the kind's default applies
(``network/notifications/preferences.py``). A notice waiting for its digest has
the e-mail state "digest", which fits the existing column.

Revision ID: a83c5e0f7d21
Revises: b8c4e1f2a9d6
Create Date: 2026-12-01 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import network.core.types

# revision identifiers, used by Alembic.
revision = 'a83c5e0f7d21'
down_revision = 'b8c4e1f2a9d6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'notice_preferences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('delivery', sa.String(length=10), nullable=False),
        sa.Column('changed_at', network.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'],
            ['users.id'],
            name=op.f('fk_notice_preferences_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_preferences')),
        sa.UniqueConstraint('user_id', 'kind', name='uq_notice_preferences_kind'),
    )
    with op.batch_alter_table('notice_preferences', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_notice_preferences_user_id'), ['user_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('notice_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_preferences_user_id'))
    op.drop_table('notice_preferences')
