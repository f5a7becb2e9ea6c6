"""editable records count their versions

States, observer bodies, authorities, focal points, formal requests, assets and
provisional measures get a ``version``: SQLAlchemy's version counter, which every change
counts one up. An edit names the version it was made from (the API's ETag and
If-Match, the pages' hidden field) and is refused when the record moved on.
Existing rows start at 1.

Revision ID: e7a2c95d4b18
Revises: 9b3e1f6c2a47
Create Date: 2026-12-01 10:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e7a2c95d4b18'
down_revision = '9b3e1f6c2a47'
branch_labels = None
depends_on = None

TABLES = (
    'states',
    'observer_bodies',
    'authorities',
    'focal_points',
    'assistance_requests',
    'assets',
    'provisional_measures',
)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column('version', sa.Integer(), server_default='1', nullable=False)
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('version')
