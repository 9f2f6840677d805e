"""Importing paper responses from a CSV file: all rows are stored, or none.

The file is read as a stream, one row at a time, so memory does not grow with its size: each
row is checked as it is read (:mod:`consult.surveys.imports_rows`) and good rows are inserted
in chunks with SQLAlchemy Core, all in the caller's one transaction. Once a row has a problem
nothing more is inserted, but the rest of the file is still checked so the report lists every
problem. The caller commits if there were none and rolls back otherwise.

Reading the file (encodings, blank lines, row numbers) is :mod:`consult.core.csv_files`.
"""

from __future__ import annotations

import csv
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import Table, insert, select

from consult.core.csv_files import (
    Problem,
    UploadRefusedError,
    data_rows,
    not_csv,
    text_of,
)
from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.imports_columns import HeaderError, match_header
from consult.surveys.imports_rows import CheckedRow, RowChecker
from consult.surveys.models import Answer, Response, Survey
from consult.surveys.services import REFERENCE_ALPHABET

CHUNK_ROWS = 1000
# The report keeps this many problems; the count covers them all.
REPORTED_PROBLEMS = 500


@dataclass
class ImportOutcome:
    """What an import did: responses stored, or the problems that stop any being stored."""

    rows: int = 0
    imported: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add(self, problems: list[Problem]) -> None:
        self.problem_count += len(problems)
        room = REPORTED_PROBLEMS - len(self.problems)
        self.problems += problems[: max(room, 0)]


def import_responses(
    survey: Survey, stream: IO[bytes], encoding: str, keyed_by_id: int | None
) -> ImportOutcome:
    """Check every row and store them all as responses keyed by ``keyed_by_id``.

    Raises :class:`UploadRefusedError` for a file with no rows or the wrong columns. If the outcome
    has problems, responses may have been inserted: the caller must roll back. Otherwise the
    caller commits.
    """
    outcome = ImportOutcome()
    with text_of(stream, encoding) as text:
        rows = data_rows(text)
        checker = _checker(survey, rows)
        _check_and_store(survey, rows, checker, outcome, keyed_by_id)
    if outcome.rows == 0 and not outcome.problems:
        raise UploadRefusedError(_("The file has a header row but no responses under it"))
    return outcome


def check_header(survey: Survey, stream: IO[bytes], encoding: str) -> None:
    """Refuse a file whose first row is not the survey's columns (raises UploadRefusedError)."""
    with text_of(stream, encoding) as text:
        _checker(survey, data_rows(text))
    stream.seek(0)


def _checker(survey: Survey, rows: Iterator[tuple[int, list[str]]]) -> RowChecker:
    """The checker for the rows after the header row, which is read from ``rows``."""
    try:
        _number, header = next(rows)
        return RowChecker(survey, match_header(survey, header))
    except StopIteration:
        raise UploadRefusedError(
            _("The file is empty. Fill in the template and upload it")
        ) from None
    except HeaderError as error:
        raise UploadRefusedError(str(error)) from None
    except csv.Error as error:
        raise UploadRefusedError(not_csv(str(error))) from None


def _check_and_store(
    survey: Survey,
    rows: Iterator[tuple[int, list[str]]],
    checker: RowChecker,
    outcome: ImportOutcome,
    keyed_by_id: int | None,
) -> None:
    batch: list[CheckedRow] = []
    number = 1
    try:
        for number, cells in rows:
            outcome.rows += 1
            checked, problems = checker.check(number, cells)
            if problems:
                outcome.add(problems)
                batch.clear()
            elif checked is not None and not outcome.problem_count:
                batch.append(checked)
                if len(batch) >= CHUNK_ROWS:
                    outcome.imported += store_rows(survey, batch, keyed_by_id)
                    batch.clear()
    except csv.Error as error:
        message = _("This row cannot be read as CSV: %(reason)s", reason=str(error))
        outcome.add([Problem(number + 1, "", message)])
    if batch and not outcome.problem_count:
        outcome.imported += store_rows(survey, batch, keyed_by_id)


def new_references(count: int) -> list[str]:
    """``count`` response references, unused and distinct (as :func:`new_reference` makes one
    at a time), with one query per call rather than one per reference."""
    chosen: set[str] = set()
    while len(chosen) < count:
        fresh: set[str] = set()
        while len(fresh) < count - len(chosen):
            raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
            fresh.add(f"{raw[:4]}-{raw[4:]}")
        fresh -= chosen
        taken = set(
            db.session.scalars(select(Response.reference).where(Response.reference.in_(fresh)))
        )
        chosen |= fresh - taken
    return list(chosen)


def store_rows(survey: Survey, rows: list[CheckedRow], keyed_by_id: int | None) -> int:
    """Insert checked rows as responses and their answers (Core executemany). Returns how many."""
    now = utcnow()
    responses = Response.__table__
    assert isinstance(responses, Table)  # noqa: S101 (for mypy: a mapped class's table)
    ids = (
        db.session.execute(
            insert(responses).returning(responses.c.id, sort_by_parameter_order=True),
            [
                {
                    "survey_id": survey.id,
                    "reference": reference,
                    "channel": row.channel,
                    "event_name": row.event_name,
                    "keyed_by_id": keyed_by_id,
                    "submitted_at": now,
                }
                for row, reference in zip(rows, new_references(len(rows)), strict=True)
            ],
        )
        .scalars()
        .all()
    )
    answers: list[dict[str, Any]] = [
        {**answer, "response_id": response_id}
        for row, response_id in zip(rows, ids, strict=True)
        for answer in row.answers
    ]
    if answers:
        db.session.execute(insert(Answer.__table__), answers)
    return len(ids)
