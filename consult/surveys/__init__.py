"""Surveys: built by the partnership, answered by residents without an account."""
