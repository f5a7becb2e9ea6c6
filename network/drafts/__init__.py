"""Drafts of formal documents made from a case, for the officer to finish in a word processor."""
