"""Flask-free building blocks shared by every part: errors, the clock, domain events."""
