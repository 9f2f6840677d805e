"""Reading uploaded CSV files: their encoding, their rows as a stream, and problems to report.

Encodings: UTF-8 (with or without the byte order mark Excel writes) is tried first, then
Windows-1252 (what older versions of Excel save as "CSV"); anything else is refused, as is a
file with NUL characters (UTF-16, or not text at all).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

BLOCK = 64 * 1024
QUOTE_LIMIT = 40
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": _l("UTF-8 (with a byte order mark)"),
    "cp1252": "Windows-1252",
}


class UploadRefusedError(ValueError):
    """The file as a whole cannot be imported; the message says why and what to do."""


def not_csv(reason: str | None = None) -> str:
    """The message for a file that cannot be read as CSV (in the current language), with the
    CSV reader's own ``reason`` when there is one."""
    if reason is None:
        return _("The file is not a CSV file. Save your spreadsheet as ‘CSV UTF-8’ and upload that")
    return _(
        "The file is not a CSV file (%(reason)s). Save your spreadsheet as ‘CSV UTF-8’ and "
        "upload that",
        reason=reason,
    )


def detect_encoding(stream: IO[bytes]) -> str:
    """``utf-8``, ``utf-8-sig`` or ``cp1252``: the first that decodes the whole stream.

    Reads the stream once per encoding tried, in blocks, and leaves it at the start.
    """
    stream.seek(0)
    has_bom = stream.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    for encoding in ("utf-8", "cp1252"):
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while block := stream.read(BLOCK):
                if "\x00" in decoder.decode(block):
                    raise UploadRefusedError(not_csv())
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        stream.seek(0)
        return "utf-8-sig" if encoding == "utf-8" and has_bom else encoding
    stream.seek(0)
    raise UploadRefusedError(
        _(
            "The file’s characters are in an encoding we cannot read. Save it as ‘CSV UTF-8’ "
            "and upload that"
        )
    )


def count_lines(stream: IO[bytes]) -> int:
    """How many lines the stream holds (about how many rows); leaves it at the start."""
    stream.seek(0)
    lines = 0
    last = b""
    while block := stream.read(BLOCK):
        lines += block.count(b"\n")
        last = block
    stream.seek(0)
    return lines + (1 if last and not last.endswith(b"\n") else 0)


@contextmanager
def text_of(stream: IO[bytes], encoding: str) -> Iterator[io.TextIOWrapper]:
    """The stream read as text, from the start; the stream itself stays open."""
    stream.seek(0)
    wrapper = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        yield wrapper
    finally:
        wrapper.detach()


def data_rows(text: IO[str]) -> Iterator[tuple[int, list[str]]]:
    """(row number as a spreadsheet shows it, cells) for every row that is not blank."""
    for number, cells in enumerate(csv.reader(text), start=1):
        if any(cell.strip() for cell in cells):
            yield number, cells


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (or one row), where, and how to put it right."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


def quoted(value: str) -> str:
    """A cell's value as a message quotes it: shortened, on one line."""
    flat = re.sub(r"\s+", " ", value).strip()
    return f"‘{flat if len(flat) <= QUOTE_LIMIT else flat[: QUOTE_LIMIT - 1] + '…'}’"
