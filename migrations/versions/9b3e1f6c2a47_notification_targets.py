"""notifications name their target, not a URL

A notice stored the path of the page it opens (``link``); it now stores what it
points at, ``target`` (a ``NoticeTarget``) and ``target_id``, and the edges make
the link. Existing links are read back into targets by the three path shapes the
code wrote: ``/cases/<id>/timeline``, ``/cases/<id>`` and ``/directory/states/<code>``;
any other value (none was written) points at the notice's case. Downgrading writes
the paths back.

Revision ID: 9b3e1f6c2a47
Revises: 75dc3549fb09
Create Date: 2026-12-01 07:15:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9b3e1f6c2a47'
down_revision = '75dc3549fb09'
branch_labels = None
depends_on = None

notifications = sa.table(
    'notifications',
    sa.column('id', sa.Integer),
    sa.column('case_id', sa.Integer),
    sa.column('link', sa.String),
    sa.column('target', sa.String),
    sa.column('target_id', sa.String),
)

# The path shapes the code wrote, each with its target, most specific first.
_SHAPES = (
    (re.compile(r"^/cases/(\d+)/timeline$"), "case_timeline", "/cases/{}/timeline"),
    (re.compile(r"^/cases/(\d+)$"), "case", "/cases/{}"),
    (re.compile(r"^/directory/states/([A-Za-z0-9]+)$"), "state", "/directory/states/{}"),
)


def _target(link, case_id):
    for pattern, target, _path in _SHAPES:
        found = pattern.match(link or "")
        if found:
            return target, found.group(1)
    return "case", "" if case_id is None else str(case_id)


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('target_id', sa.String(length=40), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(notifications.c.id, notifications.c.link, notifications.c.case_id)
    ).all()
    for row_id, link, case_id in rows:
        target, target_id = _target(link, case_id)
        connection.execute(
            notifications.update()
            .where(notifications.c.id == row_id)
            .values(target=target, target_id=target_id)
        )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('target', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('target_id', existing_type=sa.String(length=40), nullable=False)
        batch_op.drop_column('link')


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link', sa.VARCHAR(length=300), nullable=True))
    for _pattern, target, path in _SHAPES:
        prefix, _, suffix = path.partition("{}")
        op.execute(
            notifications.update()
            .where(notifications.c.target == target)
            .values(link=sa.literal(prefix) + notifications.c.target_id + sa.literal(suffix))
        )
    op.execute(notifications.update().where(notifications.c.link.is_(None)).values(link=""))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('link', existing_type=sa.VARCHAR(length=300), nullable=False)
        batch_op.drop_column('target_id')
        batch_op.drop_column('target')
