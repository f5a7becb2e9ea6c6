"""Asks with answers: an extension, a consent, more information or a call, due by a date."""
