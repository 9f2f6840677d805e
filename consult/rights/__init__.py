"""Residents' rights: download everything consult holds about you, and delete your account."""
