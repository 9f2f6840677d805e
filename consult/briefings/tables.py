"""The briefing's tables as CSV, for a spreadsheet: one row per published number.

Built from the stored (already suppressed) content, so a hidden number is written as the
suppression label, exactly as the email shows it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from consult.analysis.disclosure import HIDDEN_LABEL

HEADER = ("Survey", "Question", "Answer", "Count", "Percent")
Row = tuple[str, str, str, str, str]
Content = Mapping[str, Any]


def briefing_csv(content: Content) -> str:
    """Every table of a briefing as CSV text (UTF-8, with a header row)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for survey in content.get("surveys", []):
        for row in survey_rows(survey):
            writer.writerow(row)
    return out.getvalue()


def safe_text(value: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def number(value: float | None, hidden: bool = True) -> str:
    if value is None:
        return HIDDEN_LABEL if hidden else ""
    return f"{value:g}"


def percent(value: float | None, base: Mapping[str, Any]) -> str:
    """A percentage, the label when hidden, blank when nobody answered (nothing to hide)."""
    return number(value, hidden=base["count"] != 0)


def survey_rows(survey: Content) -> Iterator[Row]:
    title = safe_text(survey["title"])
    yield (title, "Responses", "In total", survey["total"]["display"], "")
    yield (title, "Responses", "In this period", survey["in_period"]["display"], "")
    for channel in survey["channels"]:
        label = channel["label"]
        yield (title, "Responses", f"{label}: in total", channel["total"]["display"], "")
        yield (title, "Responses", f"{label}: this period", channel["in_period"]["display"], "")
    for group in (survey.get("heard") or {}).get("groups", []):
        for row in group["rows"]:
            answer = safe_text(f"{group['label']}: {row['category']}")
            yield (
                title,
                "Who answered",
                answer,
                row["respondents"]["display"],
                number(row["percent"], hidden=False),
            )
    for question in survey["questions"]:
        text = safe_text(question["text"])
        yield (title, text, "Answered", question["base"]["display"], "")
        for row in question_rows(question):
            yield (title, text, *row)
        for row in weighted_rows(question):
            yield (title, text, *row)
        for breakdown in question.get("breakdowns", []):
            for row in breakdown_rows(breakdown):
                yield (title, safe_text(breakdown["title"]), *row)


def weighted_rows(question: Content) -> Iterator[tuple[str, str, str]]:
    for option, share in zip(question["options"], question.get("weighted") or [], strict=False):
        yield (safe_text(f"{option['label']} (weighted)"), "", number(share))


def breakdown_rows(breakdown: Content) -> Iterator[tuple[str, str, str]]:
    """One row per group and answer: "16 to 24: Daily", count, percentage of the group."""
    for row in breakdown["rows"]:
        yield (safe_text(f"{row['label']}: answered"), row["total"]["display"], "")
        for column, cell in zip(breakdown["columns"], row["cells"], strict=True):
            percent = number(cell["percent"], hidden=row["total"]["count"] != 0)
            yield (safe_text(f"{row['label']}: {column}"), cell["display"], percent)
    if breakdown.get("note") and breakdown["rows"]:
        yield (f"Note: {breakdown['note']}", "", "")


def question_rows(question: Content) -> Iterator[tuple[str, str, str]]:
    base = question["base"]
    for option in question["options"]:
        yield (safe_text(option["label"]), option["display"], percent(option["percent"], base))
    if question["kind"] == "scale":
        # The scale's ends are given only beside a mean that is shown.
        label = (
            "Average score" if question["mean"] is None else f"Average score ({question['scale']})"
        )
        yield (label, number(question["mean"]), "")
    if question["kind"] == "number":
        stats = question["number"]
        for label in ("mean", "minimum", "maximum"):
            yield (label.capitalize(), number(stats[label]), "")
    if "text_answers" in question:
        yield ("Written answers", question["text_answers"]["display"], "")
    for theme in question.get("themes", []):
        keywords = safe_text(", ".join(theme["keywords"]))
        yield (f"Theme: {keywords}", theme["size"]["display"], number(theme["percent"]))
