"""The briefing's tables as CSV, for a spreadsheet: one row per published number.

Built from the stored (already suppressed) content, so a hidden number is written as the
suppression label, exactly as the email shows it, in the current language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from flask_babel import gettext as _

from consult.briefings import wording
from consult.briefings.published import channel_label, hidden_label, shown

Row = tuple[str, str, str, str, str]
Content = Mapping[str, Any]


def briefing_csv(content: Content) -> str:
    """Every table of a briefing as CSV text (UTF-8, with a header row)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow((_("Survey"), _("Question"), _("Answer"), _("Count"), _("Percent")))
    for survey in content.get("surveys", []):
        for row in survey_rows(survey):
            writer.writerow(row)
    return out.getvalue()


def safe_text(value: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def number(value: float | None, hidden: bool = True) -> str:
    if value is None:
        return hidden_label() if hidden else ""
    return wording.decimal(value)


def percent(value: float | None, base: Mapping[str, Any]) -> str:
    """A percentage, the label when hidden, blank when nobody answered (nothing to hide)."""
    return number(value, hidden=base["count"] != 0)


def survey_rows(survey: Content) -> Iterator[Row]:
    title = safe_text(survey["title"])
    responses = _("Responses")
    yield (title, responses, _("In total"), shown(survey["total"]), "")
    yield (title, responses, _("In this period"), shown(survey["in_period"]), "")
    for channel in survey["channels"]:
        label = channel_label(channel["channel"])
        yield (
            title,
            responses,
            _("%(channel)s: in total", channel=label),
            shown(channel["total"]),
            "",
        )
        in_period = _("%(channel)s: this period", channel=label)
        yield (title, responses, in_period, shown(channel["in_period"]), "")
    for group in (survey.get("heard") or {}).get("groups", []):
        for row in group["rows"]:
            answer = f"{wording.variable_label(group)}: {wording.category(row['category'])}"
            yield (
                title,
                _("Who answered"),
                safe_text(answer),
                shown(row["respondents"]),
                number(row["percent"], hidden=False),
            )
    for question in survey["questions"]:
        text = safe_text(question["text"])
        yield (title, text, _("Answered"), shown(question["base"]), "")
        for row in question_rows(question):
            yield (title, text, *row)
        for row in weighted_rows(question):
            yield (title, text, *row)
        for breakdown in question.get("breakdowns", []):
            for row in breakdown_rows(breakdown):
                yield (title, safe_text(wording.breakdown_title(breakdown)), *row)


def weighted_rows(question: Content) -> Iterator[tuple[str, str, str]]:
    for option, share in zip(question["options"], question.get("weighted") or [], strict=False):
        yield (safe_text(_("%(answer)s (weighted)", answer=option["label"])), "", number(share))


def breakdown_rows(breakdown: Content) -> Iterator[tuple[str, str, str]]:
    """One row per group and answer: "16 to 24: Daily", count, percentage of the group."""
    for row in breakdown["rows"]:
        group = wording.group_label(row["label"], breakdown["by"])
        yield (safe_text(_("%(group)s: answered", group=group)), shown(row["total"]), "")
        for column, cell in zip(breakdown["columns"], row["cells"], strict=True):
            percent = number(cell["percent"], hidden=row["total"]["count"] != 0)
            yield (safe_text(f"{group}: {column}"), shown(cell), percent)
    note = wording.breakdown_note(breakdown)
    if note and breakdown["rows"]:
        yield (_("Note: %(note)s", note=note), "", "")


def question_rows(question: Content) -> Iterator[tuple[str, str, str]]:
    base = question["base"]
    for option in question["options"]:
        yield (safe_text(option["label"]), shown(option), percent(option["percent"], base))
    if question["kind"] == "scale":
        # The scale's ends are given only beside a mean that is shown.
        label = (
            _("Average score")
            if question["mean"] is None
            else _("Average score (%(scale)s)", scale=wording.scale_ends(question["scale"]))
        )
        yield (safe_text(label), number(question["mean"]), "")
    if question["kind"] == "number":
        stats = question["number"]
        names = {"mean": _("Mean"), "minimum": _("Minimum"), "maximum": _("Maximum")}
        for key, label in names.items():
            yield (label, number(stats[key]), "")
    if "text_answers" in question:
        yield (_("Written answers"), shown(question["text_answers"]), "")
    for theme in question.get("themes", []):
        keywords = safe_text(", ".join(theme["keywords"]))
        yield (
            _("Theme: %(keywords)s", keywords=keywords),
            shown(theme["size"]),
            number(theme["percent"]),
        )
