"""A 20,000-row import through the real service; memory that does not grow with the file.

The 100,000-row figures (time against a plain Core insert, and peak memory) are in
bench/import_responses.py; 20,000 rows keep this test to seconds on both databases.
"""

from __future__ import annotations

import csv
import tracemalloc
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from consult.core.csv_files import detect_encoding
from consult.extensions import db
from consult.surveys.imports import import_responses
from consult.surveys.imports_columns import survey_columns, template_csv
from consult.surveys.models import Answer, Response, Survey
from tests.factories import NeighbourhoodFactory, survey_with_questions

ROWS = 20_000


def write(survey: Survey, path: Path, rows: int) -> Path:
    """Rows cycling through every option of every question, with a text answer in each."""
    columns = survey_columns(survey)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(template_csv(survey))
        writer = csv.writer(out, lineterminator="\r\n")
        for n in range(rows):
            cells = []
            for column in columns:
                options = column.question.options
                if column.option is not None:
                    cells.append("x" if n % 2 else "")
                elif options:
                    cells.append(options[n % len(options)].label)
                else:
                    cells.append(f"Answer {n}")
            writer.writerow([*cells, "phone", "Door knocking"])
    return path


def imported(survey: Survey, path: Path) -> int:
    with path.open("rb") as stream:
        outcome = import_responses(survey, stream, detect_encoding(stream), None)
    assert outcome.problem_count == 0, outcome.problems[:3]
    db.session.commit()
    return outcome.imported


def peak_memory_of_import(survey: Survey, path: Path) -> int:
    """Peak bytes of Python memory while importing the file."""
    tracemalloc.start()
    try:
        imported(survey, path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_20000_rows_are_stored_in_one_go(app: Flask, tmp_path: Path) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    assert imported(survey, write(survey, tmp_path / "big.csv", ROWS)) == ROWS
    assert db.session.scalar(select(func.count(Response.id))) == ROWS
    # Each response has its single choice, scale and text; every other one ticks all three boxes.
    answers = db.session.scalar(select(func.count(Answer.id)))
    assert answers == 3 * ROWS + 3 * (ROWS // 2)
    channels = db.session.execute(
        select(Response.channel, Response.event_name, func.count()).group_by(
            Response.channel, Response.event_name
        )
    ).all()
    assert channels == [("phone", "Door knocking", ROWS)]


def test_memory_does_not_grow_with_the_file(app: Flask, tmp_path: Path) -> None:
    survey = survey_with_questions(NeighbourhoodFactory())
    small = peak_memory_of_import(survey, write(survey, tmp_path / "small.csv", 1_200))
    large = peak_memory_of_import(survey, write(survey, tmp_path / "large.csv", 4_800))
    # Four times the rows, about the same memory: rows are streamed and inserted in chunks
    # of 1,000 (a file held in memory, or every row kept, would need about four times more).
    assert large < 1.3 * small, (small, large)
