"""Neighbourhoods: one space each, with its people and their roles."""
