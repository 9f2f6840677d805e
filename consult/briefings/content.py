"""A briefing's content: the database's counts after disclosure control, as JSON-safe data.

Small numbers are hidden here, before anything is stored: the content kept with a briefing, and
everything rendered from it (email, archive page, CSV), holds no count from 1 to k - 1, and no
percentage or mean whose base is below k. A hidden number is ``None`` with the display text
:data:`consult.analysis.disclosure.HIDDEN_LABEL`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from consult.analysis.disclosure import (
    HIDDEN_LABEL,
    Cell,
    safe_mean,
    safe_percent,
    suppress_counts,
    suppress_table,
)
from consult.analysis.redaction import contains_personal_data
from consult.analysis.themes import find_themes
from consult.briefings import aggregation as agg
from consult.briefings.breakdowns import ONE_ANSWER_KINDS, add_breakdowns, answers_add_up
from consult.briefings.heard import add_weighting, who_was_heard
from consult.briefings.population import Profile
from consult.briefings.published import CHANNEL_LABELS, cell, count_cell, small_cell
from consult.surveys.demographics import demographic_questions
from consult.surveys.models import OptionRole, Question, QuestionKind, Survey

THEME_SAMPLE = 5000
ONE_WAY_KINDS = ONE_ANSWER_KINDS


def round_or_none(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


MULTI_ROW_KINDS = {QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING}


class SurveyAggregates:
    """Every count for one survey in one window, from two statements: responses by channel,
    then every answer count (see :func:`consult.briefings.aggregation.count_answers`)."""

    def __init__(self, survey: Survey, start: datetime, end: datetime) -> None:
        questions = survey.questions
        self.window = agg.Window(survey.id, start, end, tuple(q.id for q in questions))
        self.channels = agg.responses_by_channel(self.window)
        counted = agg.count_answers(
            self.window,
            self.channels.up_to_date(end),
            with_options=[q.id for q in questions if q.question_kind.has_options],
            without_options=[q.id for q in questions if not q.question_kind.has_options],
            several=[q.id for q in questions if q.question_kind in MULTI_ROW_KINDS],
        )
        self.options: dict[int, dict[int, int]] = defaultdict(dict)
        self.texts: dict[int, int] = {}
        self.numbers: dict[int, agg.AnswerGroup] = {}
        # One row per response for every kind but multiple choice and ranking.
        self.bases: dict[int, int] = defaultdict(int)
        for (question_id, option_id), group in counted.groups.items():
            self.bases[question_id] += group.rows
            if option_id is not None:
                self.options[question_id][option_id] = group.rows
            elif group.numbers:
                self.numbers[question_id] = group
            else:
                self.texts[question_id] = group.texts
        self.bases.update(counted.respondents)
        # Responses by channel up to the window's end, in the period or before it.
        self.channel_totals = {
            channel: count + self.channels.earlier.get(channel, 0)
            for channel, count in self.channels.in_period.items()
        }


def survey_content(
    survey: Survey, start: datetime, end: datetime, k: int, profile: Profile | None = None
) -> dict[str, Any]:
    """One survey's section of a briefing: responses by channel, each question with its
    breakdowns, who was heard and (with a population profile) weighted results."""
    data = SurveyAggregates(survey, start, end)
    questions = [question_content(q, data, k) for q in survey.questions]
    add_breakdowns(survey, data.window, questions, k, data.options, data.channel_totals)
    demographics = demographic_questions(survey)
    return {
        "id": survey.id,
        "title": survey.title,
        "status": survey.status,
        **channel_table(data.channels, k),
        "questions": questions,
        "heard": who_was_heard(demographics, data.options, questions, profile or {}),
        "weighting": add_weighting(survey, data.window, demographics, questions, profile or {}, k),
    }


def channel_table(channels: agg.ChannelCounts, k: int) -> dict[str, Any]:
    """Responses by channel (rows) in the period and before it (columns), with totals,
    suppressed as one two-way table so no hidden cell follows from the totals."""
    names = [c for c in CHANNEL_LABELS if channels.in_period.get(c, 0) + channels.earlier.get(c, 0)]
    if not names:
        zero = cell(Cell.visible(0))
        return {"total": zero, "in_period": zero, "earlier": zero, "channels": []}
    rows = [[channels.in_period.get(c, 0), channels.earlier.get(c, 0)] for c in names]
    table = suppress_table(rows, k)
    return {
        "total": cell(table.grand_total),
        "in_period": cell(table.column_totals[0]),
        "earlier": cell(table.column_totals[1]),
        "channels": [
            {
                "channel": name,
                "in_period": cell(table.cells[i][0]),
                "total": cell(table.row_totals[i]),
            }
            for i, name in enumerate(names)
        ],
    }


def question_content(
    question: Question, data: SurveyAggregates, k: int, with_themes: bool = True
) -> dict[str, Any]:
    """One question's published numbers. ``with_themes=False`` leaves free-text themes out (they
    take seconds on thousands of answers: a web page links to a briefing's themes instead)."""
    kind = question.question_kind
    base = data.bases.get(question.id, 0)
    content: dict[str, Any] = {
        "id": question.id,
        "text": question.text,
        "kind": kind.value,
        "base": count_cell(base, k),
        "options": [],
    }
    if kind.has_options:
        counts = data.options.get(question.id, {})
        content.update(option_rows(question, counts, base, k, one_way=answers_add_up(question)))
    if kind is QuestionKind.SCALE:
        content["mean"] = scale_mean(question, data.options.get(question.id, {}), k)
        # With the base, a mean is one more equation: it could give hidden counts back.
        valued = {o.id for o in question.options if o.value is not None}
        if any(o["count"] is None for o in content["options"] if o["id"] in valued):
            content["mean"] = None
        content["scale"] = scale_ends(question)
    if kind is QuestionKind.NUMBER:
        content["number"] = number_summary(data.numbers.get(question.id), k)
    if kind in (QuestionKind.FREE_TEXT, QuestionKind.POSTCODE):
        written = data.texts.get(question.id, 0)
        content["text_answers"] = count_cell(written, k)
        if kind is QuestionKind.FREE_TEXT and with_themes:
            content["themes"] = themes(data.window, question.id, written, k)
    return content


def option_rows(
    question: Question, counts: Mapping[int, int], base: int, k: int, one_way: bool
) -> dict[str, Any]:
    """Each option's count and percentage of the question's base.

    For a one-way question (one answer each) the options add up to the base, which is published,
    so they are suppressed with a complement; the base then comes from the same suppression.
    """
    table = suppress_counts({o.id: counts.get(o.id, 0) for o in question.options}, k, one_way)
    base_cell = table.total if one_way else small_cell(base, k)
    # A percentage of a hidden base would give the base back from a visible count.
    shown_base = 0 if base_cell.suppressed else base
    return {
        "base": cell(base_cell),
        "options": [
            {
                "id": o.id,
                "label": o.label,
                **cell(table.cells[o.id]),
                "percent": safe_percent(table.cells[o.id], shown_base, k),
            }
            for o in question.options
        ],
    }


def scale_mean(question: Question, counts: Mapping[int, int], k: int) -> float | None:
    """The mean scale value from the option counts; "Don't know" and unvalued options are out."""
    valued = [
        (counts.get(o.id, 0), o.value)
        for o in question.options
        if o.value is not None and o.role != OptionRole.DONT_KNOW
    ]
    n = sum(count for count, _ in valued)
    return round_or_none(safe_mean(sum(count * value for count, value in valued), n, k), 2)


def scale_ends(question: Question) -> dict[str, Any] | None:
    """What the scale's numbers mean: its lowest and highest values with their labels, worded
    ("1 = Disagree to 3 = Agree") by :func:`consult.briefings.wording.scale_ends`."""
    valued = sorted((o.value, o.label) for o in question.options if o.value is not None)
    if not valued:
        return None
    (low, low_label), (high, high_label) = valued[0], valued[-1]
    return {"low": low, "low_label": low_label, "high": high, "high_label": high_label}


def number_summary(stats: agg.AnswerGroup | None, k: int) -> dict[str, Any]:
    """Count, mean, smallest and largest; all but the count hidden when fewer than k answered
    (the smallest and largest are each one person's answer)."""
    if stats is None:
        return {"count": count_cell(0, k), "mean": None, "minimum": None, "maximum": None}
    enough = stats.numbers >= k
    return {
        "count": count_cell(stats.numbers, k),
        "mean": round_or_none(safe_mean(stats.number_total, stats.numbers, k), 2),
        "minimum": stats.minimum if enough else None,
        "maximum": stats.maximum if enough else None,
    }


def themes(window: agg.Window, question_id: int, written: int, k: int) -> list[dict[str, Any]]:
    """Themes in a question's written answers, read in chunks; none from fewer than k answers,
    and no theme held by fewer than k comments (its quotes would speak for a small group).

    Quotes come redacted from :func:`find_themes`; any that still looks personal is dropped.
    """
    if written < k:
        return []
    texts = agg.sample_texts(agg.stream_free_text(window, question_id), THEME_SAMPLE)
    found = [theme for theme in find_themes(texts, max_texts=THEME_SAMPLE) if theme.size >= k]
    return [
        {
            "keywords": list(theme.keywords),
            "size": count_cell(theme.size, k),
            "percent": safe_percent(theme.size, len(texts), k),
            "quotes": [q for q in theme.quotes if not contains_personal_data(q)],
        }
        for theme in found
    ]


def anything_hidden(data: object) -> bool:
    """Whether any published number in ``data`` is hidden, so the suppression note is needed."""
    if isinstance(data, Mapping):
        if data.get("display") == HIDDEN_LABEL and data.get("count") is None:
            return True
        return any(anything_hidden(value) for value in data.values())
    if isinstance(data, list):
        return any(anything_hidden(value) for value in data)
    return False
