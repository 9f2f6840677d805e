"""Pieces every feature's forms share."""

from __future__ import annotations


def strip_whitespace(value: str | None) -> str | None:
    """A WTForms filter: spaces around what was typed (phones often add one) are not part of it."""
    return value.strip() if isinstance(value, str) else value


# The largest id a row can have: PostgreSQL's integer. A larger number names nothing.
LARGEST_ID = 2**31 - 1


def whole_number(raw: str, most: int = LARGEST_ID) -> int | None:
    """``raw`` as a whole number from 0 to ``most``; None if it is anything else.

    Only the digits 0-9: ``str.isdigit`` also takes "²" (which ``int`` refuses) and other
    scripts' digits, and ``int`` refuses more than 4,300 digits. Nothing larger than ``most``
    either, so a number typed or sent never overflows a database column (SQLite refuses
    more than 2**63 - 1, PostgreSQL more than ``LARGEST_ID``).
    """
    if not (raw.isascii() and raw.isdigit()):
        return None
    digits = raw.lstrip("0") or "0"
    if len(digits) > len(str(most)):
        return None
    value = int(digits)
    return value if value <= most else None
