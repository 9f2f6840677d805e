"""The survey builder: partnership members (and admins) build, preview and publish surveys."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from consult.briefings.breakdowns import breakdown_candidates
from consult.extensions import db
from consult.neighbourhoods.access import staff_view
from consult.neighbourhoods.models import Neighbourhood, Role
from consult.surveys.answering import page_form
from consult.surveys.builder_forms import (
    ACCESS_LABELS,
    KIND_LABELS,
    QuestionForm,
    SectionForm,
    SurveyForm,
    london_day,
    parse_show_if,
    question_form_data,
    skip_choices,
)
from consult.surveys.builder_services import (
    ChangeRefusedError,
    add_question,
    close,
    create_survey,
    earlier_choices,
    move_question,
    move_section,
    publish,
    questions_before,
    remove_question,
    remove_section,
    response_count,
    update_question,
)
from consult.surveys.building import add_section
from consult.surveys.demographics import add_demographics, has_demographics
from consult.surveys.flow import RESIDENT, sends_here
from consult.surveys.models import Question, Section, Survey, SurveyChange
from consult.surveys.pages import page_items
from consult.surveys.translations import ENGLISH_NAMES, translated_languages
from consult.surveys.views import bp, survey_or_404

MEMBERS = (Role.MEMBER,)
DEFAULT_RETENTION_MONTHS = 24


def _build_url(survey: Survey) -> str:
    return url_for(".build", slug=survey.neighbourhood.slug, survey_id=survey.id)


def _section_or_404(survey: Survey, section_id: int) -> Section:
    section = next((s for s in survey.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    return section


def _question_or_404(survey: Survey, question_id: int) -> Question:
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


@bp.route("/new", methods=["GET", "POST"])
@staff_view(*MEMBERS)
def new_survey(neighbourhood: Neighbourhood) -> ResponseReturnValue:
    form = SurveyForm()
    if form.validate_on_submit():
        survey = create_survey(neighbourhood, form.title.data.strip(), form.description.data)
        survey.privacy_notice = form.privacy_notice.data or ""
        survey.retention_months = form.retention_months.data or DEFAULT_RETENTION_MONTHS
        survey.opens_at, survey.closes_at = form.dates()
        survey.access_mode = form.access_mode.data
        survey.send_from_last_page = form.send_from_last_page.data
        db.session.commit()
        flash(_("Survey created. Add its questions, then preview and publish it."), "success")
        return redirect(_build_url(survey))
    return render_template(
        "surveys/builder/details.html", neighbourhood=neighbourhood, survey=None, form=form
    )


@bp.get("/<int:survey_id>/build")
@staff_view(*MEMBERS)
def build(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    changes = db.session.scalars(
        select(SurveyChange)
        .where(SurveyChange.survey_id == survey.id)
        .order_by(SurveyChange.changed_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "surveys/builder/build.html",
        neighbourhood=neighbourhood,
        survey=survey,
        responses=response_count(survey),
        has_demographics=has_demographics(survey),
        breakdown_candidates=breakdown_candidates(survey),
        access_labels=ACCESS_LABELS,
        kind_labels=KIND_LABELS,
        changes=changes,
        labels={q.id: q.text for q in survey.questions},
        options={o.id: o.label for q in survey.questions for o in q.options},
        translation_languages={
            code: ENGLISH_NAMES[code] for code in translated_languages(neighbourhood)
        },
    )


@bp.route("/<int:survey_id>/build/details", methods=["GET", "POST"])
@staff_view(*MEMBERS)
def details(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    form = SurveyForm(
        data={
            "title": survey.title,
            "description": survey.description,
            "privacy_notice": survey.privacy_notice,
            "opens_on": london_day(survey.opens_at),
            "closes_on": london_day(survey.closes_at),
            "access_mode": survey.access_mode,
            "retention_months": survey.retention_months,
            "send_from_last_page": survey.send_from_last_page,
        }
    )
    if form.validate_on_submit():
        survey.title = form.title.data.strip()
        survey.description = form.description.data or ""
        survey.privacy_notice = form.privacy_notice.data or ""
        survey.retention_months = form.retention_months.data or DEFAULT_RETENTION_MONTHS
        survey.opens_at, survey.closes_at = form.dates()
        survey.access_mode = form.access_mode.data
        survey.send_from_last_page = form.send_from_last_page.data
        db.session.commit()
        flash(_("Survey details saved."), "success")
        return redirect(_build_url(survey))
    return render_template(
        "surveys/builder/details.html", neighbourhood=neighbourhood, survey=survey, form=form
    )


def _section_form(survey: Survey, section: Section | None) -> SectionForm:
    data = {}
    if section is not None:
        condition = (
            f"{section.show_if_question_id}:{section.show_if_option_id}"
            if section.show_if_question_id
            else ""
        )
        data = {"title": section.title, "intro": section.intro, "show_if": condition}
    form = SectionForm(data=data)
    form.show_if.choices = skip_choices(earlier_choices(questions_before(survey, section)))
    return form


@bp.route("/<int:survey_id>/build/sections/new", methods=["GET", "POST"])
@bp.route("/<int:survey_id>/build/sections/<int:section_id>", methods=["GET", "POST"])
@staff_view(*MEMBERS)
def edit_section(
    neighbourhood: Neighbourhood, survey_id: int, section_id: int | None = None
) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    section = _section_or_404(survey, section_id) if section_id is not None else None
    form = _section_form(survey, section)
    if form.validate_on_submit():
        if section is None:
            section = add_section(survey, form.title.data.strip())
        section.title = form.title.data.strip()
        section.intro = form.intro.data or ""
        section.show_if_question_id, section.show_if_option_id = parse_show_if(
            form.show_if.data
        ) or (None, None)
        db.session.commit()
        flash(_("Section ‘%(title)s’ saved.", title=section.title), "success")
        return redirect(_build_url(survey))
    return render_template(
        "surveys/builder/section.html",
        neighbourhood=neighbourhood,
        survey=survey,
        section=section,
        form=form,
    )


def _save_question(form: QuestionForm, section: Section, question: Question | None) -> bool:
    """Apply a valid form; a refused change becomes an error on the form (nothing is saved)."""
    try:
        if question is None:
            add_question(section, form.settings())
        else:
            update_question(question, form.settings(), user_id=current_user.id)
    except ChangeRefusedError as refused:
        db.session.rollback()
        target = form[refused.field] if refused.field else form.text
        target.errors = [*target.errors, refused.message]
        return False
    db.session.commit()
    return True


@bp.route("/<int:survey_id>/build/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@bp.route("/<int:survey_id>/build/questions/<int:question_id>", methods=["GET", "POST"])
@staff_view(*MEMBERS)
def edit_question(
    neighbourhood: Neighbourhood,
    survey_id: int,
    section_id: int | None = None,
    question_id: int | None = None,
) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    question = _question_or_404(survey, question_id) if question_id is not None else None
    section = question.section if question else _section_or_404(survey, section_id or 0)
    form = QuestionForm(data=question_form_data(question) if question else {})
    earlier = (
        questions_before(survey, question=question)
        if question
        else [q for q in survey.questions if q.section.position <= section.position]
    )
    form.show_if.choices = skip_choices(earlier_choices(earlier))
    if form.validate_on_submit() and _save_question(form, section, question):
        flash(_("Question saved."), "success")
        return redirect(_build_url(survey))
    return render_template(
        "surveys/builder/question.html",
        neighbourhood=neighbourhood,
        survey=survey,
        section=section,
        question=question,
        form=form,
    )


@bp.post(
    "/<int:survey_id>/build/<any(sections, questions):what>/<int:item_id>"
    "/<any(up, down, remove):change>"
)
@staff_view(*MEMBERS)
def arrange(
    neighbourhood: Neighbourhood, survey_id: int, what: str, item_id: int, change: str
) -> ResponseReturnValue:
    """Move a section or question up or down, or remove it."""
    survey = survey_or_404(neighbourhood, survey_id)
    steps = {"up": -1, "down": 1}
    try:
        if what == "sections":
            section = _section_or_404(survey, item_id)
            remove_section(section) if change == "remove" else move_section(section, steps[change])
        else:
            question = _question_or_404(survey, item_id)
            remove_question(question) if change == "remove" else move_question(
                question, steps[change]
            )
    except ChangeRefusedError as refused:
        db.session.rollback()
        flash(refused.message)
        return redirect(_build_url(survey))
    db.session.commit()
    return redirect(_build_url(survey))


@bp.post("/<int:survey_id>/build/demographics")
@staff_view(*MEMBERS)
def demographics(neighbourhood: Neighbourhood, survey_id: int) -> ResponseReturnValue:
    """Add the ready-made "About you" section, once."""
    survey = survey_or_404(neighbourhood, survey_id)
    if has_demographics(survey):
        flash(_("The survey already has the ‘About you’ section."))
    else:
        add_demographics(survey)
        db.session.commit()
        flash(_("The ‘About you’ section has been added at the end."), "success")
    return redirect(_build_url(survey))


@bp.post("/<int:survey_id>/build/<any(publish, close):status_change>")
@staff_view(*MEMBERS)
def change_status(
    neighbourhood: Neighbourhood, survey_id: int, status_change: str
) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    try:
        publish(survey) if status_change == "publish" else close(survey)
    except ChangeRefusedError as refused:
        db.session.rollback()
        flash(refused.message)
        return redirect(_build_url(survey))
    db.session.commit()
    flash(_("Survey published.") if status_change == "publish" else _("Survey closed."), "success")
    return redirect(_build_url(survey))


@bp.route("/<int:survey_id>/preview/<int:number>", methods=["GET", "POST"])
@staff_view(*MEMBERS)
def preview(neighbourhood: Neighbourhood, survey_id: int, number: int) -> ResponseReturnValue:
    """A section exactly as residents see it; answers are checked but never stored."""
    survey = survey_or_404(neighbourhood, survey_id)
    if not 1 <= number <= len(survey.sections):
        abort(404)
    section = survey.sections[number - 1]
    form = page_form(survey, section, {}, request.form if request.method == "POST" else MultiDict())
    if request.method == "POST" and form.validate():
        if number < len(survey.sections):
            return redirect(
                url_for(".preview", slug=neighbourhood.slug, survey_id=survey.id, number=number + 1)
            )
        flash(_("That was the last section of the preview. Nothing was stored."), "success")
        return redirect(_build_url(survey))
    back = (
        url_for(".preview", slug=neighbourhood.slug, survey_id=survey.id, number=number - 1)
        if number > 1
        else _build_url(survey)
    )
    return render_template(
        "surveys/section.html",
        neighbourhood=neighbourhood,
        survey=survey,
        section=section,
        form=form,
        items=page_items(form),
        progress=(number, len(survey.sections)),
        back_url=back,
        preview=True,
        sends=sends_here(RESIDENT, survey, section),  # as residents would see this page
    )
