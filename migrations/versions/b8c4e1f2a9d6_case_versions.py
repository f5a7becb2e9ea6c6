"""cases count their versions too

A case's stage and each side's own reference are edited through ``PATCH
/api/v1/cases/{id}``; like the other editable records the case now carries
SQLAlchemy's version counter, so that the edit names the version it was made from
(ETag and If-Match). Existing rows start at 1.

Revision ID: b8c4e1f2a9d6
Revises: 4d2a7c91e5b3
Create Date: 2026-12-01 11:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8c4e1f2a9d6'
down_revision = '4d2a7c91e5b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('cases') as batch_op:
        batch_op.drop_column('version')
