"""Redaction of personal data from residents' free text, before it is quoted or exported.

``redact`` replaces what it finds with a placeholder naming the kind: ``[email]``, ``[phone]``,
``[postcode]``, ``[url]``, ``[address]`` (a house number and street) and ``[name]`` (a name after
"my neighbour" or a title such as "Mrs"; the trigger words stay so the sentence still reads).
It is rule-based, offline and deterministic: the same text always gives the same output.

What it does not promise: names in general ("Dave from number 12") are not found, since no list
of names or model is used. A capitalised word after a title is always taken as a name, so
"Mr Blobby" is redacted too: a quote that loses a joke costs less than one that names someone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

EMAIL = "email"
PHONE = "phone"
POSTCODE = "postcode"
URL = "url"
ADDRESS = "address"
NAME = "name"
KINDS = (EMAIL, URL, PHONE, POSTCODE, ADDRESS, NAME)

_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

# A URL ends before trailing punctuation, so "see www.example.org." keeps its full stop.
_URL_TAIL = r"""(?:[^\s<>"'\[\]]*[^\s<>"'\[\].,;:!?)])?"""
_DOMAIN = (
    r"\b(?:[a-z0-9-]+\.)+(?:co\.uk|org\.uk|gov\.uk|ac\.uk|nhs\.uk|com|org|net|info|uk|ly|io|gl)\b"
)
_URL = re.compile(rf"\b(?:https?://|www\.){_URL_TAIL}|{_DOMAIN}(?:/{_URL_TAIL})?", re.IGNORECASE)

# UK numbers: a trunk 0 (perhaps bracketed) or +44 (perhaps "+44 (0)"), then 01/02/03/07 numbers
# of 9 or 10 digits after the 0, in groups split by spaces, hyphens or a closing bracket.
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)[1237](?:[ \-)]{0,2}\d){8,9}(?![\d-])")

# Royal Mail format: outward code (A9, A99, AA9, AA99, A9A, AA9A), then inward code (digit and
# two letters, never C I K M O V). So "4pm" and "9am" are not inward codes; nor are ordinals.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"[A-PR-UWYZa-pr-uwyz][A-HK-Ya-hk-y]?\d[A-Za-z\d]?"
    r"\s?(?!1st|2nd|3rd|[04-9]th)"
    r"\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}"
    r"(?![A-Za-z0-9])"
)

_STREET_SUFFIX = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Court|Ct|Crescent|Cres"
    r"|Grove|Place|Pl|Terrace|Tce|Gardens|Gdns|Walk|Row|Square|Sq|Hill|Mews|Rise|Parade"
    r"|Vale|View|Gate|Yard|Wharf|Boulevard|Esplanade|Fields|Green|Park)\b\.?"
)
_HOUSE_NUMBER = (
    r"(?:\b(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt|[Uu]nit)\.?\s+\d{1,4}[A-Za-z]?,?\s+)?"
    r"\b(?!(?:19|20)\d\d\b)\d{1,4}[A-Za-z]?(?:\s?[-–]\s?\d{1,4}[A-Za-z]?)?,?\s+"
)
# Street names are capitalised words ("12 Acacia Avenue", "3 St Mary's Road"); a lower-case
# street ("12 acacia avenue") is only taken after "at", because "2 dogs walk" is not an address.
# Four-digit years are not house numbers: "Since 2015 Station Road has flooded".
_ADDRESS = re.compile(
    _HOUSE_NUMBER
    + r"(?:[A-Z][\w'’-]*\.?\s+){1,3}?"
    + _STREET_SUFFIX
    + r"|(?<=\bat )"
    + _HOUSE_NUMBER
    + r"(?:[a-z][\w'’-]*\s+){1,2}?"
    + _STREET_SUFFIX.lower()
)

# A name word: "Smith", "O'Brien", "McDonald", "Smith-Jones", or an initial; not "I" or a title.
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\b"
_NAME_WORD = r"(?!I\b|" + _TITLE + r")[A-Z][a-z]*(?:['’-]?[A-Z][a-z]+)*\b\.?"
_NAME_WORDS = _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?"
_NAME = re.compile(
    r"(?:\b(?:[Mm]y|[Oo]ur)\s+neighbou?rs?,?|\b" + _TITLE + r"\.?)\s+"
    r"(?P<name>" + _NAME_WORDS + r"(?:\s+(?:and|&)\s+" + _NAME_WORDS + r")?)"
)

# Where two matches start at the same place and are as long, the kind listed first wins.
_PATTERNS: tuple[tuple[str, re.Pattern[str], str | int], ...] = (
    (EMAIL, _EMAIL, 0),
    (URL, _URL, 0),
    (PHONE, _PHONE, 0),
    (POSTCODE, _POSTCODE, 0),
    (ADDRESS, _ADDRESS, 0),
    (NAME, _NAME, "name"),
)


@dataclass(frozen=True, order=True)
class Finding:
    """A piece of personal data found in a text: where it is and what kind it is."""

    start: int
    end: int
    kind: str


def find_personal_data(text: str) -> list[Finding]:
    """Every piece of personal data in ``text``, in order, none overlapping another.

    Where two matches overlap, the one that starts first wins, then the longer, then the kind
    listed first.
    """
    candidates = sorted(_candidates(text), key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[Finding] = []
    for finding in candidates:
        if not chosen or finding.start >= chosen[-1].end:
            chosen.append(finding)
    return chosen


def _candidates(text: str) -> Iterator[Finding]:
    for kind, pattern, group in _PATTERNS:
        for match in pattern.finditer(text):
            start = match.start(group)
            # A full stop after "Rd." or an initial may end the sentence too: leave it in the text,
            # where it costs nothing if it was the abbreviation's and keeps the sentence if not.
            end = start + len(match.group(group).rstrip(" .,"))
            if end > start:
                yield Finding(start, end, kind)


def redact(text: str) -> str:
    """``text`` with each piece of personal data replaced by a placeholder such as ``[phone]``."""
    pieces: list[str] = []
    position = 0
    for finding in find_personal_data(text):
        pieces.append(text[position : finding.start])
        pieces.append(f"[{finding.kind}]")
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def contains_personal_data(text: str) -> bool:
    """True when ``redact`` would change ``text``."""
    return any(True for _ in _candidates(text))
