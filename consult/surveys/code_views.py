"""Partnership members make household codes and print one letter per code."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from consult.core.urls import external_url
from consult.extensions import db
from consult.neighbourhoods.access import staff_view
from consult.neighbourhoods.models import Neighbourhood, Role
from consult.surveys.access import batch_codes, code_batches, generate_codes
from consult.surveys.access_forms import CodesForm
from consult.surveys.views import bp, survey_or_404


@bp.route("/<int:survey_id>/codes", methods=["GET", "POST"])
@staff_view(Role.MEMBER)
def codes(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    form = CodesForm()
    if form.validate_on_submit():
        batch = generate_codes(survey, form.count.data or 0)
        db.session.commit()
        flash(
            _(
                "%(count)d codes made, as batch %(batch)s. Print them below.",
                count=form.count.data or 0,
                batch=batch,
            ),
            "success",
        )
        return redirect(url_for(".codes", slug=neighbourhood.slug, survey_id=survey.id))
    batches = code_batches(survey)
    return render_template(
        "surveys/codes.html",
        neighbourhood=neighbourhood,
        survey=survey,
        form=form,
        batches=batches,
        total=sum(b.codes for b in batches),
        used=sum(b.used for b in batches),
    )


@bp.get("/<int:survey_id>/codes/<int:batch>/print")
@staff_view(Role.MEMBER)
def print_codes(neighbourhood: Neighbourhood, survey_id: int, batch: int) -> ResponseReturnValue:
    """One A4 page per code: the survey, its short address, how to answer, and the code."""
    survey = survey_or_404(neighbourhood, survey_id)
    found = batch_codes(survey, batch)
    if not found:
        abort(404)
    return render_template(
        "surveys/codes_print.html",
        neighbourhood=neighbourhood,
        survey=survey,
        codes=found,
        batch=batch,
        short_url=external_url("survey_links.short", survey_id=survey.id),
    )
