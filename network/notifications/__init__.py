"""Reminders, in-app notifications and e-mail."""
