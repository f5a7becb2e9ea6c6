"""focal points keep only their own Latin spelling

``name_latin`` was filled with an automatic transliteration (anyascii) of the name
whenever it was left empty, and that transliteration was then shown as a name and
written to vCards ("mrym lhshmy" for مريم الهاشمي). It is now a person's own
spelling, empty unless given; search transliterates names by itself. Every value
equal to the transliteration of its name is taken for an automatic one and cleared.
Downgrading fills the empty ones again, as the old code did.

Revision ID: 4d2a7c91e5b3
Revises: e7a2c95d4b18
Create Date: 2026-12-01 11:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from anyascii import anyascii

# revision identifiers, used by Alembic.
revision = '4d2a7c91e5b3'
down_revision = 'e7a2c95d4b18'
branch_labels = None
depends_on = None

focal_points = sa.table(
    'focal_points',
    sa.column('id', sa.Integer),
    sa.column('name', sa.String),
    sa.column('name_latin', sa.String),
)


def _rewrite(choose) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(focal_points.c.id, focal_points.c.name, focal_points.c.name_latin)
    ).all()
    for row in rows:
        wanted = choose(row.name, row.name_latin or '')
        if wanted != row.name_latin:
            connection.execute(
                focal_points.update()
                .where(focal_points.c.id == row.id)
                .values(name_latin=wanted)
            )


def upgrade():
    _rewrite(lambda name, latin: '' if latin == anyascii(name) else latin)


def downgrade():
    _rewrite(lambda name, latin: latin or anyascii(name))
