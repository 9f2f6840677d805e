"""The results page's tables as CSV: the same suppressed numbers, one row per number.

Rows for questions come from the briefing's CSV writer (:mod:`consult.briefings.tables`), so a
question reads the same in both; a hidden number is written as the hidden label.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from consult.briefings.tables import breakdown_rows, number, question_rows, safe_text
from consult.surveys.export import BOM

HEADER = ("Question", "Answer", "Count", "Percent")
Content = Mapping[str, Any]


def results_csv(results: Content) -> str:
    """Every table of a survey's results as CSV text, starting with a byte order mark."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in result_rows(results):
        writer.writerow([safe_text(cell) for cell in row])
    if results["suppression_note"]:
        writer.writerow([results["suppression_note"], "", "", ""])
    return out.getvalue()


def result_rows(results: Content) -> Iterator[tuple[str, str, str, str]]:
    yield ("Responses", "In total", results["total"]["display"], "")
    for channel in results["channels"]:
        yield ("Responses by channel", channel["label"], channel["display"], "")
    for day in results["days"]:
        yield ("Responses by day (UTC)", day["date"], day["display"], "")
    for position, question in enumerate(results["questions"], start=1):
        title = f"Q{position}. {question['text']}"
        yield (title, "Answered", question["base"]["display"], "")
        for label, count, percent in question_rows(question):
            yield (title, label, count, percent)
        yield from extra_rows(title, question)


def extra_rows(title: str, question: Content) -> Iterator[tuple[str, str, str, str]]:
    """What results add to a briefing's rows: median, sectors, the breakdown by channel."""
    if question["kind"] == "number":
        yield (title, "Median", number(question["number"]["median"]), "")
    for sector in question.get("sectors", []):
        percent = number(sector["percent"])
        yield (title, f"Sector {sector['sector']}", sector["display"], percent)
    table = question.get("by_channel")
    if table:
        for answer, count, percent in breakdown_rows(table):
            yield (f"{title} (by channel)", answer, count, percent)
