"""Importing ideas from a CSV file (from a paper board or an older site): all rows, or none.

Columns, in any order, headed (in any case): ``title``, ``description``, ``category``,
``created date`` (``2025-03-31`` or ``31/03/2025``) and, optionally, ``support count``.
Title, description and category are checked by the idea form's own rules; the category must be
one of the neighbourhood's (by name, in any case).

Supports counted elsewhere cannot be tied to people here, so they are kept as the idea's
``imported_supports``, which the board adds to the supports people give here (still one per
person). Imported ideas are published, with no author: they were public already, and whoever
runs the import vouches for the file. The file is read as a stream and inserted in chunks,
in the caller's one transaction: the caller commits if there were no problems, else rolls back.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import Table, insert
from werkzeug.datastructures import MultiDict

from consult.core.csv_files import (
    Problem,
    UploadRefusedError,
    data_rows,
    detect_encoding,
    not_csv,
    quoted,
    text_of,
)
from consult.core.forms import whole_number
from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.forms import IdeaForm
from consult.ideas.models import Idea, ModerationState
from consult.ideas.services import categories_of
from consult.neighbourhoods.models import Neighbourhood

COLUMNS = ("title", "description", "category", "created date")
SUPPORTS = "support count"
MOST_SUPPORTS = 1_000_000
CHUNK_ROWS = 1000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class IdeasImport:
    encoding: str = "utf-8"
    rows: int = 0
    imported: int = 0
    problems: list[Problem] = field(default_factory=list)


def _layout(header: Sequence[str]) -> dict[str, int]:
    """Column positions by name; refuses missing, unknown or repeated columns, naming them."""
    names = [cell.strip().casefold() for cell in header]
    known = (*COLUMNS, SUPPORTS)
    missing = [name for name in COLUMNS if name not in names]
    unknown = [
        cell.strip() for cell, name in zip(header, names, strict=True) if name and name not in known
    ]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("These columns are missing: %(columns)s.", columns=", ".join(missing)))
    if unknown:
        problems.append(_("These columns are not known: %(columns)s.", columns=", ".join(unknown)))
    if repeated:
        problems.append(
            _("These columns appear more than once: %(columns)s.", columns=", ".join(repeated))
        )
    if problems:
        problems.append(
            _("The columns are: %(columns)s (the last optional).", columns=", ".join(known))
        )
        raise UploadRefusedError(" ".join(problems))
    return {name: names.index(name) for name in known if name in names}


class IdeaRowChecker:
    """Checks rows with the idea form's rules, plus the created date and support count."""

    def __init__(self, neighbourhood: Neighbourhood, layout: dict[str, int]) -> None:
        self.neighbourhood = neighbourhood
        self.layout = layout
        categories = categories_of(neighbourhood)
        self.category_ids = {c.name.casefold(): str(c.id) for c in categories}
        self.category_names = "; ".join(c.name for c in categories)
        self.form = IdeaForm(formdata=None, categories=categories, meta={"csrf": False})
        self.today = utcnow().date()

    def cell(self, cells: Sequence[str], name: str) -> str:
        index = self.layout.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def check(
        self, number: int, cells: Sequence[str]
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        problems: list[Problem] = []
        category = self.cell(cells, "category")
        category_id = self.category_ids.get(category.casefold(), "")
        if category and not category_id:
            message = _(
                "%(value)s is not a category here. Use one of: %(categories)s",
                value=quoted(category),
                categories=self.category_names,
            )
            problems.append(Problem(number, "category", message))
        self.form.process(
            formdata=MultiDict(
                {
                    "title": self.cell(cells, "title"),
                    "description": self.cell(cells, "description"),
                    "category": category_id,
                }
            )
        )
        if not self.form.validate():
            problems += [
                Problem(number, name, str(message))
                for name, messages in self.form.errors.items()
                if not (name == "category" and category)
                for message in messages
            ]
        created = self._created(number, problems, self.cell(cells, "created date"))
        supports = self._supports(number, problems, self.cell(cells, SUPPORTS))
        if problems:
            return None, problems
        return {
            "neighbourhood_id": self.neighbourhood.id,
            "author_id": None,
            "category_id": int(category_id),
            "title": self.form.title.data,
            "description": self.form.description.data,
            "place": "",
            "state": ModerationState.PUBLISHED.value,
            "status": None,
            "created_at": created,
            "updated_at": created,
            "imported_supports": supports,
        }, []

    def _created(self, number: int, problems: list[Problem], value: str) -> datetime | None:
        for pattern in DATE_FORMATS:
            try:
                day = datetime.strptime(value, pattern).date()
            except ValueError:
                continue
            if day > self.today:
                break
            return datetime.combine(day, time(12), tzinfo=UTC)
        if value:
            message = _(
                "%(value)s is not a date in the past: write it like 2025-03-31 or 31/03/2025",
                value=quoted(value),
            )
        else:
            message = _(
                "An empty cell is not a date in the past: write it like 2025-03-31 or 31/03/2025"
            )
        problems.append(Problem(number, "created date", message))
        return None

    def _supports(self, number: int, problems: list[Problem], value: str) -> int:
        if not value:
            return 0
        supports = whole_number(value, MOST_SUPPORTS)
        if supports is not None:
            return supports
        problems.append(
            Problem(
                number,
                SUPPORTS,
                _(
                    "%(value)s is not a number of supports: write a whole number like 12, "
                    "or leave it empty",
                    value=quoted(value),
                ),
            )
        )
        return 0


def import_ideas(neighbourhood: Neighbourhood, stream: IO[bytes]) -> IdeasImport:
    """Check every row and store the ideas; problems mean the caller must roll back.

    Raises UploadRefusedError for a file that cannot be read or has the wrong columns.
    """
    outcome = IdeasImport(encoding=detect_encoding(stream))
    with text_of(stream, outcome.encoding) as text:
        rows = data_rows(text)
        try:
            _number, header = next(rows)
        except StopIteration:
            raise UploadRefusedError(_("The file is empty")) from None
        except csv.Error as error:
            raise UploadRefusedError(not_csv(str(error))) from None
        _check_and_store(IdeaRowChecker(neighbourhood, _layout(header)), rows, outcome)
    if outcome.rows == 0:
        raise UploadRefusedError(_("The file has a header row but no ideas under it"))
    return outcome


def _check_and_store(
    checker: IdeaRowChecker, rows: Iterator[tuple[int, list[str]]], outcome: IdeasImport
) -> None:
    batch: list[dict[str, Any]] = []
    table = Idea.__table__
    assert isinstance(table, Table)  # noqa: S101 (for mypy: a mapped class's table)
    for number, cells in rows:
        outcome.rows += 1
        idea, problems = checker.check(number, cells)
        outcome.problems += problems
        if idea is not None and not outcome.problems:
            batch.append(idea)
        if len(batch) >= CHUNK_ROWS or (batch and outcome.problems):
            if not outcome.problems:
                db.session.execute(insert(table), batch)
                outcome.imported += len(batch)
            batch.clear()
    if batch and not outcome.problems:
        db.session.execute(insert(table), batch)
        outcome.imported += len(batch)
