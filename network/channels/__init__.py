"""Channels: the bilateral conversations of a case, their messages, attachments and receipts."""
