"""Members' translations of a survey's own words (titles, questions, answers) into residents'
languages.

One row per translated text: which survey, which language, which thing (the survey itself, a
section, a question or an option, by id) and which of its fields. A table rather than columns
per language, because the languages a neighbourhood offers are data, not schema: adding one
needs no migration, and a text without a row simply shows in English.

``source`` keeps the English the translation was made from, so that when members fix the
English wording later the translations page can say which translations may be out of date.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db


class TranslatedThing(enum.StrEnum):
    SURVEY = "survey"
    SECTION = "section"
    QUESTION = "question"
    OPTION = "option"


THING_CHECK = "thing IN ({})".format(", ".join(f"'{t.value}'" for t in TranslatedThing))
FIELD_CHECK = (
    "field IN ('title', 'description', 'privacy_notice', 'intro', 'text', 'help_text', 'label')"
)


class SurveyTranslation(db.Model):  # type: ignore[name-defined]
    __tablename__ = "survey_translation"
    __table_args__ = (
        UniqueConstraint("survey_id", "locale", "thing", "thing_id", "field"),
        CheckConstraint(THING_CHECK, name="thing_known"),
        CheckConstraint(FIELD_CHECK, name="field_known"),
        CheckConstraint("locale <> 'en'", name="not_english"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    locale: Mapped[str] = mapped_column(String(10))
    thing: Mapped[str] = mapped_column(String(20))
    # The survey's, section's, question's or option's id. Not a foreign key (it points into one
    # of four tables); rows of deleted things are never looked up and go with the survey.
    thing_id: Mapped[int]
    field: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)  # the English it was translated from
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
