"""Pieces every feature's forms share."""

from __future__ import annotations


def strip_whitespace(value: str | None) -> str | None:
    """A WTForms filter: spaces around what was typed (phones often add one) are not part of it."""
    return value.strip() if isinstance(value, str) else value
