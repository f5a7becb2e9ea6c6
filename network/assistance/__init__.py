"""Formal requests (MLA, extradition, freezing, confiscation, return) and their history."""
