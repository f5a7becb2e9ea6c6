"""Subjects, assets, provisional measures (freezing and seizure), confiscation and return."""
