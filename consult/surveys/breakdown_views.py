"""Members choose which of a survey's questions briefings and results break down."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from wtforms import SelectChoice

from consult.briefings.breakdowns import breakdown_candidates, broken_down, choose_breakdowns
from consult.briefings.forms import BreakdownsForm
from consult.extensions import db
from consult.neighbourhoods.access import staff_view
from consult.neighbourhoods.models import Neighbourhood, Role
from consult.surveys.views import bp, survey_or_404


@bp.route("/<int:survey_id>/build/breakdowns", methods=["GET", "POST"])
@staff_view(Role.MEMBER)
def breakdowns(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    candidates = breakdown_candidates(survey)
    form = BreakdownsForm(data={"questions": [q.id for q in broken_down(survey)]})
    form.questions.choices = [SelectChoice(q.id, q.text) for q in candidates]
    if candidates and form.validate_on_submit():
        choose_breakdowns(survey, set(form.questions.data or []), current_user.id)
        db.session.commit()
        flash(gettext("Breakdowns saved. The next briefing will use them."), "success")
        return redirect(url_for(".build", slug=neighbourhood.slug, survey_id=survey.id))
    return render_template(
        "surveys/builder/breakdowns.html",
        neighbourhood=neighbourhood,
        survey=survey,
        form=form,
        candidates=candidates,
    )
