"""article 52(2)(b) notifications in detail: when institutions were told, the period, results

A notification records the day the notifying State told its financial institutions and the
period they were asked to scrutinise (``disclosures``, which now counts its versions for the
ETag an edit of those details names); what each institution reported back is
kept in ``notification_results``, its institution and summary sealed. Persons, accounts and
scope live in the disclosure's sealed body, so they need no column.

Revision ID: 9215a0ac511b
Revises: 5519d4a7a44d
Create Date: 2026-12-02 02:46:09.179875

"""
import sqlalchemy as sa
from alembic import op

import network.core.types


# revision identifiers, used by Alembic.
revision = '9215a0ac511b'
down_revision = '5519d4a7a44d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('disclosure_id', sa.Integer(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('accounts_found', sa.Integer(), nullable=False),
    sa.Column('body_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', network.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['disclosure_id'], ['disclosures.id'], name=op.f('fk_notification_results_disclosure_id_disclosures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_notification_results_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_results'))
    )
    with op.batch_alter_table('notification_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_results_disclosure_id'), ['disclosure_id'], unique=False)

    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notified_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_end', sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column('version', sa.Integer(), server_default='1', nullable=False)
        )



def downgrade():
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('period_end')
        batch_op.drop_column('period_start')
        batch_op.drop_column('notified_on')

    with op.batch_alter_table('notification_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_results_disclosure_id'))

    op.drop_table('notification_results')
