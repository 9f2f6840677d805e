"""Members' page: which surveys' raw answers will be deleted, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from consult.core.time import utcnow
from consult.extensions import db
from consult.neighbourhoods.access import staff_view
from consult.neighbourhoods.models import Neighbourhood, Role
from consult.retention.models import RetainedSurvey
from consult.retention.services import deletion_due
from consult.surveys.models import Response, Survey

bp = Blueprint("retention", __name__, url_prefix="/n/<slug>")


@dataclass(frozen=True)
class ScheduleRow:
    survey: Survey
    responses_held: int
    deleted_on: datetime | None
    due: datetime | None


def retention_schedule(neighbourhood: Neighbourhood) -> list[ScheduleRow]:
    """Every survey of the neighbourhood, soonest deletion first, with what it still holds."""
    surveys = db.session.scalars(
        select(Survey).where(Survey.neighbourhood_id == neighbourhood.id).order_by(Survey.id)
    ).all()
    ids = [s.id for s in surveys]
    held: dict[int, int] = {
        survey_id: count
        for survey_id, count in db.session.execute(
            select(Response.survey_id, func.count())
            .where(Response.survey_id.in_(ids))
            .group_by(Response.survey_id)
        )
    }
    purged: dict[int, datetime] = {
        survey_id: at
        for survey_id, at in db.session.execute(
            select(RetainedSurvey.survey_id, RetainedSurvey.first_purged_at).where(
                RetainedSurvey.survey_id.in_(ids)
            )
        )
    }
    rows = [ScheduleRow(s, held.get(s.id, 0), purged.get(s.id), deletion_due(s)) for s in surveys]
    far = datetime.max.replace(tzinfo=utcnow().tzinfo)
    return sorted(rows, key=lambda r: (r.due or far, r.survey.id))


@bp.get("/retention")
@staff_view(Role.MEMBER)
def schedule(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    return render_template(
        "retention/schedule.html",
        neighbourhood=neighbourhood,
        rows=retention_schedule(neighbourhood),
        now=utcnow(),
    )
