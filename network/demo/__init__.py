"""Demo data for ``seed-demo``: a fictional directory and users in real States, marked as demo."""
