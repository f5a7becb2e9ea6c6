"""Accounts, sign-in with a second factor, sessions, tokens, and the permission policy."""
