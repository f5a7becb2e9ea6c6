"""Append-only, hash-chained audit records written by the services in their own transaction."""
