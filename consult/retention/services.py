"""Deleting raw survey answers once a survey's retention period has passed, keeping the counts.

Each survey keeps its raw responses for ``retention_months`` after it closes (24 by default,
set by members in the survey's details). After that, :func:`purge_survey` first adds the survey's
per-question and per-option counts to the kept counts (:class:`RetainedCount`), then deletes its
drafts, answers and responses, in one transaction. Counts are *added* to what is kept, so a late
paper response typed in after a purge is counted too when the next run deletes it, and a run
that finds nothing to delete changes nothing.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, exists, func, or_, select

from consult.analysis.disclosure import safe_percent, suppress_counts
from consult.analysis.summary import QuestionSummary, summarise_question
from consult.briefings.published import suppression_note
from consult.extensions import db
from consult.retention.models import RetainedCount, RetainedSurvey
from consult.surveys.access_models import SurveyEmailLink, VerifiedRespondent
from consult.surveys.models import Answer, Draft, Response, Survey

log = logging.getLogger(__name__)

Key = tuple[int, int | None]


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months (31 January + 1 month = 28 or 29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, _days_in(year, month)))


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def deletion_due(survey: Survey) -> datetime | None:
    """When the survey's raw answers are deleted: ``retention_months`` after it closes."""
    if survey.closes_at is None:
        return None
    return add_months(survey.closes_at, survey.retention_months)


def _holds_raw_data(survey_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                or_(
                    exists().where(Response.survey_id == survey_id),
                    exists().where(Draft.survey_id == survey_id),
                )
            )
        )
    )


def surveys_due(now: datetime) -> list[int]:
    """Ids of surveys past their retention period that still hold raw answers or drafts."""
    closed = db.session.scalars(
        select(Survey).where(Survey.closes_at.is_not(None), Survey.closes_at < now)
    ).all()
    return [
        s.id
        for s in closed
        if (due := deletion_due(s)) is not None and due <= now and _holds_raw_data(s.id)
    ]


@dataclass(frozen=True)
class Purged:
    """What one purge deleted (numbers only: nothing about anyone)."""

    survey_id: int
    responses: int
    answers: int
    drafts: int
    respondent_hashes: int = 0


def purge_survey(survey_id: int, now: datetime) -> Purged:
    """Keep the survey's counts, then delete its raw responses, answers and drafts. Flushes.

    Every table of raw answers or of anything about respondents (the keyed email hashes of a
    verified-email survey and its unused email links) is deleted here, in :func:`_delete_raw`,
    in the same transaction. Household codes stay: they say nothing about anyone.
    """
    _keep_counts(survey_id, now)
    purged = _delete_raw(survey_id)
    db.session.flush()
    log.info(
        "survey %s past retention: deleted %s responses, %s answers, %s drafts, "
        "%s respondent hashes",
        survey_id,
        purged.responses,
        purged.answers,
        purged.drafts,
        purged.respondent_hashes,
    )
    return purged


def _delete_raw(survey_id: int) -> Purged:
    responses = select(Response.id).where(Response.survey_id == survey_id).scalar_subquery()
    drafts = db.session.execute(delete(Draft).where(Draft.survey_id == survey_id))
    answers = db.session.execute(delete(Answer).where(Answer.response_id.in_(responses)))
    deleted = db.session.execute(delete(Response).where(Response.survey_id == survey_id))
    hashes = db.session.execute(
        delete(VerifiedRespondent).where(VerifiedRespondent.survey_id == survey_id)
    )
    db.session.execute(delete(SurveyEmailLink).where(SurveyEmailLink.survey_id == survey_id))
    return Purged(
        survey_id=survey_id,
        responses=deleted.rowcount,  # type: ignore[attr-defined]
        answers=answers.rowcount,  # type: ignore[attr-defined]
        drafts=drafts.rowcount,  # type: ignore[attr-defined]
        respondent_hashes=hashes.rowcount,  # type: ignore[attr-defined]
    )


def purge_due(now: datetime) -> list[Purged]:
    """Purge every survey past its retention period. Flushes; the caller commits."""
    return [purge_survey(survey_id, now) for survey_id in surveys_due(now)]


def _keep_counts(survey_id: int, now: datetime) -> None:
    kept = db.session.scalar(select(RetainedSurvey).where(RetainedSurvey.survey_id == survey_id))
    if kept is None:
        kept = RetainedSurvey(survey_id=survey_id, responses=0, by_channel={}, first_purged_at=now)
        db.session.add(kept)
    channels = dict(kept.by_channel or {})
    for channel, count in db.session.execute(
        select(Response.channel, func.count())
        .where(Response.survey_id == survey_id)
        .group_by(Response.channel)
    ):
        channels[channel] = channels.get(channel, 0) + int(count)
        kept.responses += int(count)
    kept.by_channel = channels
    kept.last_purged_at = now
    counts = {
        (row.question_id, row.option_id): row
        for row in db.session.scalars(
            select(RetainedCount).where(RetainedCount.survey_id == survey_id)
        )
    }
    _add_answer_counts(survey_id, counts)
    _add_respondents(survey_id, counts)


def _counted(survey_id: int, counts: dict[Key, RetainedCount], key: Key) -> RetainedCount:
    row = counts.get(key)
    if row is None:
        row = RetainedCount(
            survey_id=survey_id,
            question_id=key[0],
            option_id=key[1],
            answers=0,
            respondents=0,
            rank_total=0,
            number_total=Decimal(0),
        )
        db.session.add(row)
        counts[key] = row
    return row


def _add_answer_counts(survey_id: int, counts: dict[Key, RetainedCount]) -> None:
    query = (
        select(
            Answer.question_id,
            Answer.option_id,
            func.count(),
            func.coalesce(func.sum(Answer.rank), 0),
            func.coalesce(func.sum(Answer.number), 0),
            func.min(Answer.number),
            func.max(Answer.number),
        )
        .join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == survey_id)
        .group_by(Answer.question_id, Answer.option_id)
    )
    for qid, oid, rows, rank_total, total, low, high in db.session.execute(query):
        row = _counted(survey_id, counts, (qid, oid))
        row.answers += int(rows)
        row.rank_total = (row.rank_total or 0) + int(rank_total or 0)
        row.number_total = Decimal(row.number_total or 0) + Decimal(total or 0)
        row.number_min = _least(row.number_min, low)
        row.number_max = _greatest(row.number_max, high)


def _least(kept: Decimal | None, new: Decimal | None) -> Decimal | None:
    values = [v for v in (kept, new) if v is not None]
    return min(values) if values else None


def _greatest(kept: Decimal | None, new: Decimal | None) -> Decimal | None:
    values = [v for v in (kept, new) if v is not None]
    return max(values) if values else None


def _add_respondents(survey_id: int, counts: dict[Key, RetainedCount]) -> None:
    query = (
        select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
        .join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == survey_id)
        .group_by(Answer.question_id)
    )
    for qid, respondents in db.session.execute(query):
        _counted(survey_id, counts, (qid, None)).respondents += int(respondents)


@dataclass(frozen=True)
class RetainedSummary:
    """What is left of a purged survey: how many responded, by channel, and per question."""

    responses: int
    by_channel: dict[str, int]
    first_purged_at: datetime
    questions: list[QuestionSummary]


def retained_summary(survey: Survey) -> RetainedSummary | None:
    """The kept counts of a survey whose raw answers were deleted; None if none were."""
    kept = db.session.scalar(select(RetainedSurvey).where(RetainedSurvey.survey_id == survey.id))
    if kept is None:
        return None
    rows = {
        (r.question_id, r.option_id): r
        for r in db.session.scalars(
            select(RetainedCount).where(RetainedCount.survey_id == survey.id)
        )
    }
    questions = []
    for q in survey.questions:
        whole = rows.get((q.id, None))
        chosen = {oid: row.answers for (qid, oid), row in rows.items() if qid == q.id and oid}
        questions.append(
            summarise_question(
                text=q.text,
                kind=q.kind,
                options=[(o.id, o.label) for o in q.options],
                counts=chosen,
                base=whole.respondents if whole else 0,
                text_answers=whole.answers if whole else 0,
            )
        )
    return RetainedSummary(
        responses=kept.responses,
        by_channel=dict(kept.by_channel or {}),
        first_purged_at=kept.first_purged_at,
        questions=questions,
    )


def kept_results(kept: RetainedSummary, k: int) -> dict[str, Any]:
    """The kept counts ready to publish: small counts hidden, with complements where a total
    is shown (every kind but multiple choice, whose base is people, not ticks)."""
    questions = []
    for summary in kept.questions:
        counts = suppress_counts(
            {option.label: option.count for option in summary.options},
            k,
            total_shown=summary.kind != "multiple_choice",
        )
        base = suppress_counts({"base": summary.base}, k).cells["base"]
        questions.append(
            {
                "text": summary.text,
                "base": base,
                "text_answers": suppress_counts({"n": summary.text_answers}, k).cells["n"],
                "options": [
                    {
                        "label": label,
                        "display": cell.display(),
                        "percent": safe_percent(cell, summary.base, k),
                    }
                    for label, cell in counts.cells.items()
                ],
            }
        )
    total = suppress_counts({"n": kept.responses}, k).cells["n"]
    return {"total": total, "questions": questions, "note": suppression_note(k)}
