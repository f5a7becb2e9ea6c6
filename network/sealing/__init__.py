"""Data keys per scope (the key store), sealed fields and opening them with an integrity flag."""
