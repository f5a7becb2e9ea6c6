"""Messages of a case's channels: sealed bodies, read positions, search and attachments."""
