"""attachment segments: attachments in PostgreSQL

With ``ATTACHMENT_STORE = "database"`` each attachment's ciphertext is kept here, one row per
segment of the streaming cipher, keyed by the attachment's stored name and the segment's
number. The table is made on SQLite too, where it stays empty. The ciphertext does not
compress, so PostgreSQL is told not to try (storage EXTERNAL: out of line, uncompressed).

Revision ID: 9a0e6dd834fa
Revises: 9215a0ac511b
Create Date: 2026-12-02 03:42:52.354651

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '9a0e6dd834fa'
down_revision = '9215a0ac511b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attachment_segments',
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('stored_name', 'number', name=op.f('pk_attachment_segments'))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE attachment_segments ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade():
    op.drop_table('attachment_segments')
