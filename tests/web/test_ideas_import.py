"""``consult import ideas SLUG FILE``: ideas from a paper board or an older site."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.ideas.models import Idea
from consult.ideas.participation import support_idea
from consult.ideas.services import seed_categories
from consult.neighbourhoods.models import Neighbourhood
from tests.factories import NeighbourhoodFactory, UserFactory

HEADER = ["Title", "Description", "Category", "Created date", "Support count"]


@pytest.fixture
def area(app: Flask) -> Neighbourhood:
    neighbourhood = NeighbourhoodFactory(slug="north")
    seed_categories(neighbourhood)
    db.session.commit()
    return neighbourhood


def write(
    path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8"
) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def run(app: Flask, *args: str) -> object:
    return app.test_cli_runner().invoke(args=["import", "ideas", *args])


def ideas() -> int:
    return db.session.scalar(select(func.count(Idea.id))) or 0


def test_good_file_is_imported_and_imported_supports_count_on_the_board(
    app: Flask, client: FlaskClient, area: Neighbourhood, tmp_path: Path
) -> None:
    rows = [
        ["A café in the park", "Somewhere warm – with <b>tea</b>",
         "environment and green spaces", "31/03/2025", "40"],
        ["Safer crossing", "By the school gates", "Safety", "2024-11-02", ""],
        ["Youth club nights", "Fridays", "Young people", "2025-01-15", "3"],
    ]  # fmt: skip
    path = write(tmp_path / "ideas.csv", rows, encoding="cp1252")
    result = run(app, "north", str(path))
    assert result.exit_code == 0, result.output
    assert "Imported 3 ideas" in result.output and "Windows-1252" in result.output
    cafe = db.session.scalar(select(Idea).where(Idea.title == "A café in the park"))
    assert cafe.state == "published" and cafe.author_id is None
    assert cafe.description == "Somewhere warm – with <b>tea</b>"
    assert cafe.category.name == "Environment and green spaces"
    assert cafe.created_at == datetime(2025, 3, 31, 12, tzinfo=UTC)
    assert cafe.imported_supports == 40
    youth = db.session.scalar(select(Idea).where(Idea.title == "Youth club nights"))
    support_idea(youth, UserFactory())
    db.session.commit()
    board = client.get("/n/north/ideas/?sort=supported").get_data(as_text=True)
    assert board.index("A café in the park") < board.index("Youth club nights")
    assert board.index("Youth club nights") < board.index("Safer crossing")
    assert "40 supporters" in board and "4 supporters" in board
    assert "&lt;b&gt;tea" in client.get(f"/n/north/ideas/{cafe.id}").get_data(as_text=True)


def test_bad_rows_are_listed_and_nothing_is_imported(
    app: Flask, area: Neighbourhood, tmp_path: Path
) -> None:
    rows = [
        ["Fine idea", "Fine", "Safety", "2025-01-01", "2"],
        ["Lost category", "Text", "Parks", "2025-01-01", ""],
        ["", "No title", "Safety", "2025-01-01", ""],
        ["Future", "Text", "Safety", "2999-01-01", ""],
        ["Many", "Text", "Safety", "1 Jan 2025", "lots"],
        ["T" * 121, "Text", "Safety", "2025-01-01", "-1"],
    ]
    result = run(app, "north", str(write(tmp_path / "ideas.csv", rows)))
    assert result.exit_code != 0
    output = result.output
    assert "Row 3, column category: ‘Parks’ is not a category here" in output
    assert "Row 4, column title: Enter a title" in output
    assert "Row 5, column created date: ‘2999-01-01’ is not a date in the past" in output
    assert "Row 6, column created date: ‘1 Jan 2025’" in output
    assert "Row 6, column support count: ‘lots’ is not a number of supports" in output
    assert "Row 7, column title: Title must be 120 characters or fewer" in output
    assert "Row 7, column support count: ‘-1’" in output
    assert "7 problems in the file: nothing was imported" in output
    assert ideas() == 0


def test_one_bad_row_among_1500_imports_nothing(
    app: Flask, area: Neighbourhood, tmp_path: Path
) -> None:
    rows = [[f"Idea {n}", "Text", "Housing", "2025-02-03", str(n)] for n in range(1500)]
    rows[1400][2] = "Nowhere"
    result = run(app, "north", str(write(tmp_path / "ideas.csv", rows)))
    assert result.exit_code != 0 and "Row 1402, column category" in result.output
    assert ideas() == 0
    rows[1400][2] = "Housing"
    assert run(app, "north", str(write(tmp_path / "ideas.csv", rows))).exit_code == 0
    assert ideas() == 1500


@pytest.mark.parametrize(
    ("header", "content", "message"),
    [
        (["Title", "Category", "Created date", "Votes"], None,
         "missing: description. These columns are not known: Votes"),
        (HEADER, b"", "The file is empty"),
        (HEADER, b"\xff\xfe\x00t\x00i", "not a CSV file"),
    ],
    ids=["columns", "empty", "utf-16"],
)  # fmt: skip
def test_unreadable_files_are_refused_naming_the_problem(
    app: Flask,
    area: Neighbourhood,
    tmp_path: Path,
    header: list[str],
    content: bytes | None,
    message: str,
) -> None:
    path = write(tmp_path / "ideas.csv", [["a", "b", "c", "d"]], header)
    if content is not None:
        path.write_bytes(content)
    result = run(app, "north", str(path))
    assert result.exit_code != 0 and message in result.output
    assert ideas() == 0


def test_unknown_neighbourhood(app: Flask, area: Neighbourhood, tmp_path: Path) -> None:
    result = run(app, "south", str(write(tmp_path / "ideas.csv", [])))
    assert result.exit_code != 0 and "no neighbourhood called 'south'" in result.output
