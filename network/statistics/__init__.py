"""Figures: a State's own statistics, network-wide aggregates, and case timelines."""
