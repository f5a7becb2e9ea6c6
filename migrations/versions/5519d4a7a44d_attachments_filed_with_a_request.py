"""attachments filed with a request

A request's signed copy and its annexes are attachments of the channel of its
relationship, filed with the request instead of a message: ``request_id`` and
``document_kind`` (signed_request or annex). Existing attachments stay with their
messages.

Revision ID: 5519d4a7a44d
Revises: b3e81f4c2a70
Create Date: 2026-12-02 03:08:03.288488

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5519d4a7a44d'
down_revision = 'b3e81f4c2a70'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('document_kind', sa.String(length=16), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_attachments_request_id'), ['request_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_attachments_request_id_assistance_requests'),
            'assistance_requests',
            ['request_id'],
            ['id'],
        )


def downgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_attachments_request_id_assistance_requests'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_attachments_request_id'))
        batch_op.drop_column('document_kind')
        batch_op.drop_column('request_id')
