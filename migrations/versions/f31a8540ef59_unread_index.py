"""messages: an index on (channel, sender, seq) for unread counts

A member's unread count is the channel's last seq minus their read position, less their
own messages past that position; this index lets that last figure be counted as a range
of the index alone, without reading message rows.

Revision ID: f31a8540ef59
Revises: 3a70d7a0370e
Create Date: 2026-12-02 11:50:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "f31a8540ef59"
down_revision = "3a70d7a0370e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_messages_channel_sender_seq", "messages", ["channel_id", "sender_id", "seq"]
    )


def downgrade():
    op.drop_index("ix_messages_channel_sender_seq", table_name="messages")
