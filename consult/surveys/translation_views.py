"""The builder's translations pages: members translate a survey's texts, one language a page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from consult.core.forms import strip_whitespace
from consult.core.i18n import LANGUAGES
from consult.core.widgets import GovSubmitInput, GovTextArea
from consult.extensions import db
from consult.neighbourhoods.access import staff_view
from consult.neighbourhoods.models import Neighbourhood, Role
from consult.surveys.translations import (
    ENGLISH_NAMES,
    SourceText,
    save_translations,
    source_texts,
    stored_translations,
    translated_languages,
)
from consult.surveys.views import bp, survey_or_404


def translation_form(texts: list[SourceText], language: str) -> FlaskForm:
    """A form with one box per English text, named after the text it translates."""
    attributes: dict[str, Any] = {
        text.name: TextAreaField(
            _("%(where)s in %(language)s", where=text.where, language=language),
            filters=[strip_whitespace],
            validators=[
                Length(
                    max=text.limit,
                    message=_(
                        "%(where)s in %(language)s must be %(limit)d characters or fewer",
                        where=text.where,
                        language=language,
                        limit=text.limit,
                    ),
                )
            ],
            widget=GovTextArea(),
        )
        for text in texts
    }
    attributes["submit"] = SubmitField(_("Save translations"), widget=GovSubmitInput())
    return type("TranslationForm", (FlaskForm,), attributes)()


@bp.route("/<int:survey_id>/build/translations/<locale>", methods=["GET", "POST"])
@staff_view(Role.MEMBER)
def translations(neighbourhood: Neighbourhood, survey_id: int, locale: str) -> ResponseReturnValue:
    survey = survey_or_404(neighbourhood, survey_id)
    if locale not in translated_languages(neighbourhood):
        abort(404)
    language = ENGLISH_NAMES.get(locale, locale)
    texts = source_texts(survey)
    stored = stored_translations(survey.id, locale)
    form = translation_form(texts, language)
    if request.method == "GET":
        for text in texts:
            row = stored.get(text.key)
            form[text.name].data = row.text if row is not None else ""
    elif form.validate_on_submit():
        typed = {text.key: form[text.name].data or "" for text in texts}
        confirmed = {text.key for text in texts if request.form.get(f"{text.name}-confirmed")}
        changed = save_translations(survey, locale, typed, confirmed)
        db.session.commit()
        flash(
            ngettext(
                "%(num)d %(language)s translation saved.",
                "%(num)d %(language)s translations saved.",
                changed,
                language=language,
            ),
            "success",
        )
        return redirect(
            url_for(".translations", slug=neighbourhood.slug, survey_id=survey.id, locale=locale)
        )
    outdated = {
        text.name
        for text in texts
        if text.key in stored and stored[text.key].source != text.english
    }
    return render_template(
        "surveys/builder/translations.html",
        neighbourhood=neighbourhood,
        survey=survey,
        form=form,
        texts=texts,
        locale=locale,
        language=language,
        direction=LANGUAGES[locale].direction,
        outdated=outdated,
    )
