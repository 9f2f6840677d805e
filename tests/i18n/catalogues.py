"""The resident-facing messages: what translations/resident-facing.txt lists, extracted afresh."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
JINJA_OPTIONS = {"trim_blocks": "True", "lstrip_blocks": "True"}

MessageId = str | tuple[str, str]


def resident_files() -> list[str]:
    lines = (TRANSLATIONS / "resident-facing.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def resident_messages() -> dict[MessageId, str]:
    """Every msgid residents can meet, with the file it comes from (extracted now, not from
    the .pot, so a string added to a template without updating the catalogues is caught)."""
    found: dict[MessageId, str] = {}
    for name in resident_files():
        method = "python" if name.endswith(".py") else "jinja2"
        options = {} if method == "python" else JINJA_OPTIONS
        for _line, message, _comments, _context in extract_from_file(
            method, str(ROOT / name), keywords=KEYWORDS, options=options
        ):
            key = message if isinstance(message, str) else (message[0], message[1])
            found.setdefault(key, name)
    return found


def catalogue(code: str) -> Catalog:
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=code)
