"""channel_members: one index on (user, removed_at, kind, channel) for a user's seats

Every list of a user's cases (the case list, the deadline list, notices) starts from their
current seats; with this index the seats and their channels come from the index alone.
It replaces the index on ``user_id``, its first column.

Revision ID: b7d41c2e9a60
Revises: f31a8540ef59
Create Date: 2026-12-02 19:05:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "b7d41c2e9a60"
down_revision = "f31a8540ef59"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_channel_members_user_seats",
        "channel_members",
        ["user_id", "removed_at", "kind", "channel_id"],
    )
    op.drop_index("ix_channel_members_user_id", table_name="channel_members")


def downgrade():
    op.create_index("ix_channel_members_user_id", "channel_members", ["user_id"])
    op.drop_index("ix_channel_members_user_seats", table_name="channel_members")
