"""The words consult itself writes into surveys, in residents' languages from the start.

Some of a survey's texts are not typed by members but written by consult: the ready "About
you" section, a yes/no question's answers, a scale's "Don't know", a new survey's first
section. They are stored in English, as members' texts are (English is the source, and
answers are stored by option, so answers in every language count together), and marked with
:func:`N_` so that they are extracted into the gettext catalogues and translated there.

:func:`translate_defaults` then gives a survey the catalogue's translation of each such text,
as ``SurveyTranslation`` rows with the English as their ``source``, so that residents see them
in their language and the builder's translations page shows them as translated, and up to
date, from the first moment. It is the one function every place that creates such content
calls, and it is also how surveys made before a text was translated catch up (``consult
translate-defaults``): it only ever adds rows, never replacing a translation a member made.
Given one question (``within``), it looks at that question's texts alone: the builder's
question form saves one question, and a survey's other texts are as they were.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

from flask_babel import force_locale, gettext
from sqlalchemy import select

from consult.extensions import db
from consult.surveys.models import Question, Survey
from consult.surveys.translation_models import SurveyTranslation
from consult.surveys.translations import (
    Key,
    SourceText,
    question_texts,
    source_texts,
    translated_languages,
)


def N_(english: str) -> str:  # noqa: N802 (pybabel's name for a no-op marker)
    """Mark ``english`` for the catalogues and leave it as it is: it is stored in English."""
    return english


@cache
def known_texts() -> frozenset[str]:
    """Every English text consult writes into surveys by default."""
    # Imported here: those modules use N_ and translate_defaults from this one.
    from consult.surveys import builder_services, building, demographics

    return frozenset(
        {*building.DEFAULT_TEXTS, *builder_services.DEFAULT_TEXTS, *demographics.DEFAULT_TEXTS}
    )


def default_sources(survey: Survey, within: Question | None = None) -> list[SourceText]:
    """The survey's texts (or only the question ``within``'s) whose English is one consult
    wrote (whoever typed it: the same English means the same thing, so a member's own "Yes" is
    translated too)."""
    known = known_texts()
    texts = source_texts(survey) if within is None else question_texts(within)
    return [text for text in texts if text.english in known]


def translated_keys(
    survey_id: int, locales: Sequence[str], texts: Sequence[SourceText] | None = None
) -> set[tuple[str, Key]]:
    """(locale, key) of each translation the survey has in ``locales``, in one query; only
    those of ``texts``' things when given (rows of other things may come too, unasked for)."""
    query = select(
        SurveyTranslation.locale,
        SurveyTranslation.thing,
        SurveyTranslation.thing_id,
        SurveyTranslation.field,
    ).where(SurveyTranslation.survey_id == survey_id, SurveyTranslation.locale.in_(locales))
    if texts is not None:
        query = query.where(SurveyTranslation.thing_id.in_({text.thing_id for text in texts}))
    return {
        (locale, (thing, thing_id, field))
        for locale, thing, thing_id, field in db.session.execute(query)
    }


def catalogue_translations(
    texts: list[SourceText], locale: str
) -> Iterator[tuple[SourceText, str]]:
    """(text, translation) for each text the ``locale`` catalogue translates."""
    with force_locale(locale):
        for text in texts:
            translated = gettext(text.english)
            if translated and translated != text.english:
                yield text, translated


def translate_defaults(survey: Survey, within: Question | None = None) -> int:
    """Add the catalogue's translation of each of ``survey``'s default texts, in every language
    its neighbourhood offers, where that text has no translation yet. Flushes first (new
    sections, questions and options need their ids) and after; returns how many were added.

    ``within``, one of the survey's questions, narrows it to that question's own texts (its
    wording, help text and answers): the builder saves one question at a time, and needs
    neither the rest of the survey walked nor its translations read.

    Idempotent. A member's translation, even of a default text, is never replaced; a language
    whose catalogue lacks a text gets no row for it (residents see the English).
    """
    db.session.flush()
    texts = default_sources(survey, within)
    locales = translated_languages(survey.neighbourhood) if texts else []
    if not locales:
        return 0
    # A whole survey's translations are read whole; one question's, by its things' ids.
    stored = translated_keys(survey.id, locales, texts if within is not None else None)
    added = 0
    for locale in locales:
        missing = [text for text in texts if (locale, text.key) not in stored]
        for text, translated in catalogue_translations(missing, locale):
            db.session.add(
                SurveyTranslation(
                    survey_id=survey.id,
                    locale=locale,
                    thing=text.thing.value,
                    thing_id=text.thing_id,
                    field=text.field,
                    text=translated,
                    source=text.english,
                )
            )
            added += 1
    db.session.flush()
    return added


def translate_all_defaults() -> int:
    """:func:`translate_defaults` for every survey; flushes; returns how many were added."""
    surveys = db.session.scalars(select(Survey).order_by(Survey.id))
    return sum(translate_defaults(survey) for survey in surveys)
