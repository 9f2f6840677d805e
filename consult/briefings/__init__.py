"""Briefings: what residents said, built by a worker and emailed to officers."""
