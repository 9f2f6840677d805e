"""A survey's own words in the resident's language: members' translations, English otherwise.

Each text falls back on its own: a page in Polish shows every text that has a Polish
translation in Polish and the rest in English, marked ``lang="en"`` so that screen readers
pronounce it as English. Responses store option ids, never labels, so answers given in every
language count together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from consult.core.i18n import DEFAULT, LANGUAGES, current_language, parse_languages
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.models import Option, Question, Section, Survey
from consult.surveys.translation_models import SurveyTranslation, TranslatedThing

# The languages' names in the language of the builder's page.
ENGLISH_NAMES = {"pl": _l("Polish"), "ur": _l("Urdu")}
Key = tuple[str, int, str]  # (thing, thing id, field)

FIELDS: dict[TranslatedThing, tuple[str, ...]] = {
    TranslatedThing.SURVEY: ("title", "description", "privacy_notice"),
    TranslatedThing.SECTION: ("title", "intro"),
    TranslatedThing.QUESTION: ("text", "help_text"),
    TranslatedThing.OPTION: ("label",),
}
# The English columns' own limits; a translation may be as long (Text columns: 5000).
LIMITS = {"title": 200, "text": 500, "label": 200}
LONG_TEXT_LIMIT = 5000


class EnglishText(str):
    """English shown on a page in another language: drawn inside ``lang="en"``, and left to
    right, so that on an Urdu page its full stop or question mark stays at its end."""

    __slots__ = ()

    def __html__(self) -> Markup:
        return Markup('<span lang="en" dir="ltr">%s</span>') % escape(str(self))


def template_helpers() -> dict[str, Any]:
    """For the survey templates: ``localised(obj, field)`` and ``plain(text)`` for ``<title>``."""
    return {"localised": localised, "plain": str}


def translated_languages(neighbourhood: Neighbourhood) -> list[str]:
    """The languages other than English that the neighbourhood offers (all, if none listed)."""
    codes = parse_languages(neighbourhood.languages) if neighbourhood.languages else LANGUAGES
    return [code for code in codes if code != DEFAULT]


def _thing(obj: Any) -> tuple[TranslatedThing, int]:
    if isinstance(obj, Survey):
        return TranslatedThing.SURVEY, obj.id
    if isinstance(obj, Section):
        return TranslatedThing.SECTION, obj.survey_id
    if isinstance(obj, Question):
        return TranslatedThing.QUESTION, obj.survey_id
    if isinstance(obj, Option):
        return TranslatedThing.OPTION, obj.question.survey_id
    raise TypeError(f"{type(obj).__name__} has no translated texts")


def stored_translations(survey_id: int, locale: str) -> dict[Key, SurveyTranslation]:
    rows = db.session.scalars(
        select(SurveyTranslation).where(
            SurveyTranslation.survey_id == survey_id, SurveyTranslation.locale == locale
        )
    )
    return {(row.thing, row.thing_id, row.field): row for row in rows}


def _texts(survey_id: int, locale: str) -> dict[Key, str]:
    """The survey's translated texts in ``locale``, read once per request."""
    cache: dict[tuple[int, str], dict[Key, str]] = g.setdefault("survey_translations", {})
    if (survey_id, locale) not in cache:
        stored = stored_translations(survey_id, locale)
        cache[(survey_id, locale)] = {key: row.text for key, row in stored.items()}
    return cache[(survey_id, locale)]


def localised(obj: Survey | Section | Question | Option, field: str) -> str:
    """``obj``'s ``field`` in the page's language: the translation, else the English."""
    english: str = getattr(obj, field) or ""
    if not english or not has_request_context():
        return english
    locale = current_language().code
    if locale == DEFAULT:
        return english
    thing, survey_id = _thing(obj)
    text = _texts(survey_id, locale).get((thing.value, obj.id, field))
    return text if text else EnglishText(english)


@dataclass(frozen=True)
class SourceText:
    """One English text members can translate, as the translations page lists it."""

    thing: TranslatedThing
    thing_id: int
    field: str
    english: str
    where: str  # e.g. "Question 3: help text"

    @property
    def key(self) -> Key:
        return (self.thing.value, self.thing_id, self.field)

    @property
    def name(self) -> str:
        return f"{self.thing.value}-{self.thing_id}-{self.field}"

    @property
    def limit(self) -> int:
        return LIMITS.get(self.field, LONG_TEXT_LIMIT)


FIELD_NAMES = {
    "title": _l("title"),
    "description": _l("description"),
    "privacy_notice": _l("privacy notice"),
    "intro": _l("introduction"),
    "text": _l("question"),
    "help_text": _l("help text"),
    "label": _l("answer"),
}


def _sources(thing: TranslatedThing, obj: Any, where: str) -> list[SourceText]:
    return [
        SourceText(
            thing,
            obj.id,
            field,
            getattr(obj, field),
            # Translators: where a text is in a survey, like "Question 3: help text".
            _("%(where)s: %(field)s", where=where, field=FIELD_NAMES[field]),
        )
        for field in FIELDS[thing]
        if getattr(obj, field)
    ]


def source_texts(survey: Survey) -> list[SourceText]:
    """Every English text of the survey, in reading order (empty ones have nothing to say)."""
    texts = _sources(TranslatedThing.SURVEY, survey, _("Survey"))
    for number, section in enumerate(survey.sections, start=1):
        texts += _sources(TranslatedThing.SECTION, section, _("Section %(number)d", number=number))
        for question in section.questions:
            texts += question_texts(question)
    return texts


def question_texts(question: Question) -> list[SourceText]:
    """The question's own English texts: its wording, help text and answers, in that order."""
    where = _("Question %(number)d", number=question.position)
    texts = _sources(TranslatedThing.QUESTION, question, where)
    for option in question.options:
        texts += _sources(TranslatedThing.OPTION, option, where)
    return texts


def save_translations(
    survey: Survey, locale: str, typed: dict[Key, str], confirmed: set[Key]
) -> int:
    """Store the typed translations (an empty one removes it); flushes; returns how many changed.

    A translation records the English it was made from when it is typed or changed, or when a
    member confirms it still matches English that has changed since.
    """
    stored = stored_translations(survey.id, locale)
    changed = 0
    for source in source_texts(survey):
        text = typed.get(source.key, "")
        row = stored.get(source.key)
        if not text:
            if row is not None:
                db.session.delete(row)
                changed += 1
            continue
        if row is None:
            row = SurveyTranslation(
                survey_id=survey.id,
                locale=locale,
                thing=source.thing.value,
                thing_id=source.thing_id,
                field=source.field,
            )
            db.session.add(row)
        if row.text != text or source.key in confirmed:
            changed += row.text != text or row.source != source.english
            row.text, row.source = text, source.english
    db.session.flush()
    return changed
