"""UK postcodes, kept only to sector level (``LS9 7``) so an answer cannot point at a street."""

from __future__ import annotations

import re

# The formats Royal Mail issues: outward code (area, district) then inward code (sector, unit).
POSTCODE_RE = re.compile(
    r"^(?P<outward>[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?))"
    r"(?P<sector>[0-9])[ABD-HJLNP-UW-Z]{2}$"
)


def postcode_sector(text: str) -> str | None:
    """``"ls9 7ab"`` gives ``"LS9 7"``; anything that is not a full UK postcode gives None."""
    compact = re.sub(r"\s+", "", text).upper()
    match = POSTCODE_RE.match(compact)
    if match is None:
        return None
    return f"{match['outward']} {match['sector']}"
