"""A survey's results so far, for the staff results page, its CSV of tables and the read API.

One function, :func:`survey_results`, serves all three, so they show the same numbers. It is
built on the briefing's aggregation and disclosure control (:mod:`consult.briefings.content`):
the same GROUP BY queries and the same suppression, then what only results show: responses by
day, the median of number answers, postcode sectors, the briefing's breakdown by channel and a
link to the latest briefing's themes. Free-text themes themselves are not computed here (seconds
of work on thousands of answers); the page links to a briefing that has them.

Every number in the result has passed disclosure control: a count from 1 to k - 1 is hidden
(``count`` None, ``display`` the hidden label), with complements where a total is published;
percentages and means of a base below k are None.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from consult.analysis.disclosure import safe_percent, suppress_counts
from consult.briefings import content as shared
from consult.briefings.breakdowns import channel_breakdowns
from consult.briefings.models import Briefing, BriefingStatus
from consult.briefings.published import channel_label, suppression_note
from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.models import Answer, Question, QuestionKind, Response, Survey

# How many recent briefings to look through for a survey's themes.
THEME_BRIEFINGS = 10
OTHER_SECTORS = "Other sectors"


def survey_results(
    survey: Survey, by_channel: bool = False, now: datetime | None = None
) -> dict[str, Any]:
    """Every published number of ``survey`` up to ``now``, JSON-safe and already suppressed.

    ``by_channel`` adds, to each question that members chose to break down, its answers broken
    down by channel, exactly as a briefing breaks them down.
    """
    k = survey.neighbourhood.disclosure_threshold
    end = now or utcnow()
    data = shared.SurveyAggregates(survey, end, end)
    channels = shared.channel_table(data.channels, k)
    questions = [shared.question_content(q, data, k, with_themes=False) for q in survey.questions]
    breakdowns = (
        channel_breakdowns(survey, data.window, questions, k, data.channel_totals)
        if by_channel
        else {}
    )
    themed = questions_with_themes(survey)
    for question, content in zip(survey.questions, questions, strict=True):
        add_extras(question, content, data, k)
        if question.id in breakdowns:
            content["by_channel"] = breakdowns[question.id]
        if question.id in themed:
            content["themes_briefing_id"] = themed[question.id]
    results = {
        "id": survey.id,
        "title": survey.title,
        "status": survey.status,
        "threshold": k,
        "total": channels["total"],
        "channels": [
            {"channel": c["channel"], "label": channel_label(c["channel"]), **c["total"]}
            for c in channels["channels"]
        ],
        "days": responses_by_day(survey.id, end, k),
        "questions": questions,
    }
    results["suppression_note"] = suppression_note(k) if shared.anything_hidden(results) else ""
    return results


def add_extras(question: Question, content: dict[str, Any], data: Any, k: int) -> None:
    """What results show beyond a briefing: the median of numbers, postcode sectors."""
    kind = question.question_kind
    if kind is QuestionKind.NUMBER:
        stats = content["number"]
        enough = stats["mean"] is not None
        counted = data.numbers.get(question.id)
        stats["median"] = median(question.id, counted.numbers) if enough and counted else None
    if kind is QuestionKind.POSTCODE:
        content["sectors"] = postcode_sectors(question.id, k)


def responses_by_day(survey_id: int, end: datetime, k: int) -> list[dict[str, Any]]:
    """Responses per day (UTC dates), oldest first, suppressed as a table with its total."""
    day = func.date(Response.submitted_at)
    rows = db.session.execute(
        select(day, func.count())
        .where(Response.survey_id == survey_id, Response.submitted_at < end)
        .group_by(day)
        .order_by(day)
    ).all()
    counts = {str(date): int(count) for date, count in rows}
    if not counts:
        return []
    table = suppress_counts(counts, k, total_shown=True)
    return [{"date": date, **shared.cell(table.cells[date])} for date in counts]


def median(question_id: int, n: int) -> float:
    """The median of a number question's ``n`` answers (n at least 1), read from the middle of
    the sorted answers by the database rather than loading them all."""
    middle = db.session.scalars(
        select(Answer.number)
        .where(Answer.question_id == question_id, Answer.number.is_not(None))
        .order_by(Answer.number)
        .offset((n - 1) // 2)
        .limit(1 if n % 2 else 2)
    ).all()
    values = [Decimal(value) for value in middle if value is not None]
    return round(float(sum(values) / len(values)), 2)


def postcode_sectors(question_id: int, k: int) -> list[dict[str, Any]]:
    """Answers per postcode sector. Sectors with fewer than k answers are not named: they are
    counted together as "Other sectors", which is itself hidden when small."""
    rows = db.session.execute(
        select(Answer.text, func.count())
        .where(Answer.question_id == question_id, Answer.text.is_not(None))
        .group_by(Answer.text)
        .order_by(Answer.text)
    ).all()
    counts: dict[str, int] = {}
    others = 0
    for sector, count in rows:
        if count >= k:
            counts[str(sector)] = int(count)
        else:
            others += int(count)
    if others:
        counts[OTHER_SECTORS] = others
    if not counts:
        return []
    base = sum(counts.values())
    table = suppress_counts(counts, k, total_shown=True)
    return [
        {
            "sector": sector,
            **shared.cell(table.cells[sector]),
            "percent": safe_percent(table.cells[sector], 0 if table.total.suppressed else base, k),
        }
        for sector in counts
    ]


def questions_with_themes(survey: Survey) -> dict[int, int]:
    """{question id: id of the latest built briefing with themes for it}, among recent ones."""
    briefings = db.session.scalars(
        select(Briefing)
        .where(
            Briefing.neighbourhood_id == survey.neighbourhood_id,
            Briefing.status == BriefingStatus.BUILT.value,
        )
        .order_by(Briefing.period_end.desc())
        .limit(THEME_BRIEFINGS)
    )
    found: dict[int, int] = {}
    for briefing in briefings:
        for question in _briefing_questions(briefing.content or {}, survey.id):
            if question.get("themes"):
                found.setdefault(question["id"], briefing.id)
    return found


def _briefing_questions(content: Mapping[str, Any], survey_id: int) -> list[Mapping[str, Any]]:
    for entry in content.get("surveys", []):
        if entry.get("id") == survey_id:
            return list(entry.get("questions", []))
    return []
