"""Figures and documents made from the records: statistics, timelines and drafted documents."""
