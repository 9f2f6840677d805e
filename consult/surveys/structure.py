"""A survey's structure (sections, questions, options), read once and kept between requests.

Every answering page walks the whole structure, and reading it took three of a page's five
queries and most of its CPU. Members change it rarely, residents read it on every page, so
each web process keeps the structure of the surveys it serves, keyed by the survey's id and
``structure_stamp``. Any change to a survey, a section, a question, an option or a translation
gives the survey a new random stamp in the same transaction (:func:`restamp_changed`, run
after every flush), so the next page reads the survey row, sees the new stamp and reads the
structure again. Only the answering pages use the cache: the builder and the staff pages
read (and change) the live rows.

The kept objects are detached from any session and shared by every thread of the process,
so they are only ever read. A page's own ``Survey`` row is fresh each time (status, dates and
access mode are never kept here); its ``sections`` and ``questions`` are set to the kept ones.
The exceptions, for a second after a page was shown afresh: the same blank page shown again
(``consult.surveys.blank``) and that page sending its answers (``consult.surveys.sending``,
whose statement checks the row is unchanged).
"""

from __future__ import annotations

import functools
import secrets
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Executable, and_, bindparam, event, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from consult.core.security import token_digest
from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.models import Draft, Option, Question, Section, Survey
from consult.surveys.translation_models import SurveyTranslation

KEPT_SURVEYS = 256  # per process; a survey is a few dozen small objects


@dataclass(frozen=True)
class Structure:
    """A survey's sections and questions in reading order, each question with its options.

    It also keeps what is made from it and nothing else: the form classes built for its
    sections (by ``consult.surveys.forms``) and its blank pages (``consult.surveys.blank``),
    so they live exactly as long as the structure they were made from.
    """

    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    _made: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)
    _made_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def owns(self, section: Section) -> bool:
        """Whether ``section`` is one of this structure's own (kept, never changed) objects."""
        return any(kept is section for kept in self.sections)

    def kept(self, key: Hashable) -> Any:
        """What is kept under ``key``, if it has been built; None otherwise."""
        with self._made_lock:
            return self._made.get(key)

    def made(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """What is kept under ``key``, built (once per key) by ``build`` if new."""
        with self._made_lock:
            built = self._made.get(key)
        if built is None:
            built = build()
            with self._made_lock:
                built = self._made.setdefault(key, built)
        return built


class StructureCache:
    """The structures a process has read, least recently used first out."""

    def __init__(self, size: int = KEPT_SURVEYS) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[int, str], Structure] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str]) -> Structure | None:
        with self._lock:
            structure = self._kept.get(key)
            if structure is not None:
                self._kept.move_to_end(key)
            return structure

    def put(self, key: tuple[int, str], structure: Structure) -> None:
        with self._lock:
            self._kept[key] = structure
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def init_structure_cache(app: Flask) -> None:
    app.extensions["survey_structures"] = StructureCache()


def with_structure(survey: Survey) -> Survey:
    """``survey`` (a row of this request's session) with its sections and questions set from
    the process's cache, read into it first if this stamp has not been seen."""
    cache: StructureCache = current_app.extensions["survey_structures"]
    key = (survey.id, survey.structure_stamp)
    structure = cache.get(key)
    if structure is None:
        structure = _read(survey.id)
        cache.put(key, structure)
    set_committed_value(survey, "sections", list(structure.sections))
    set_committed_value(survey, "questions", list(structure.questions))
    return survey


def kept_structure(survey: Survey) -> Structure | None:
    """The structure kept for this survey's current stamp, if this process has read it."""
    cache: StructureCache = current_app.extensions["survey_structures"]
    return cache.get((survey.id, survey.structure_stamp))


def _read(survey_id: int) -> Structure:
    """Read a survey's structure, link every object to its parent, and detach them all."""
    sections = db.session.scalars(
        select(Section).where(Section.survey_id == survey_id).order_by(Section.position)
    ).all()
    questions = db.session.scalars(
        select(Question)
        .where(Question.survey_id == survey_id)
        .order_by(Question.position)
        .options(selectinload(Question.options))
    ).all()
    by_section: dict[int, list[Question]] = defaultdict(list)
    for question in questions:
        by_section[question.section_id].append(question)
        for option in question.options:
            set_committed_value(option, "question", question)
    for section in sections:
        set_committed_value(section, "questions", by_section[section.id])
        for question in by_section[section.id]:
            set_committed_value(question, "section", section)
    for thing in (*sections, *questions, *(o for q in questions for o in q.options)):
        if thing in db.session:  # expunging a section takes its questions and options too
            db.session.expunge(thing)
    return Structure(tuple(sections), tuple(questions))


def survey_for_answering(
    slug: str, survey_id: int, draft_token: str | None = None
) -> tuple[Neighbourhood, Survey, Draft | None] | None:
    """A survey of the neighbourhood at ``slug``, that neighbourhood and the survey's draft
    that ``draft_token`` opens (if any), read fresh in one statement, the survey with its
    structure from the cache."""
    values = {"slug": slug, "survey_id": survey_id}
    if draft_token:
        values["token_hash"] = token_digest(draft_token)
    found: Sequence[Any] | None = db.session.execute(
        _answering_statement(bool(draft_token)), values
    ).first()
    if found is None:
        return None
    survey, neighbourhood = found[0], found[1]
    draft: Draft | None = found[2] if draft_token else None
    return neighbourhood, with_structure(survey), draft


@functools.cache
def _answering_statement(with_draft: bool) -> Executable:
    """:func:`survey_for_answering`'s statement, built once: building it on every page cost a
    third as much as running it."""
    statement: Any = (
        select(Survey, Neighbourhood)
        .join(Neighbourhood, Survey.neighbourhood_id == Neighbourhood.id)
        .where(Neighbourhood.slug == bindparam("slug"), Survey.id == bindparam("survey_id"))
    )
    if with_draft:
        statement = statement.add_columns(Draft).outerjoin(
            Draft,
            and_(Draft.survey_id == Survey.id, Draft.token_hash == bindparam("token_hash")),
        )
    return statement


# Restamping: any change to a survey's structure or texts gives it a new stamp.


STRUCTURE_TYPES = (Survey, Section, Question, Option, SurveyTranslation)


def _changed_surveys(session: Session) -> tuple[set[int], set[int]]:
    """Ids of surveys changed in this flush, and ids of questions whose options changed.

    Only a survey-structure object is looked at further: a flush of anything else (a draft, a
    response, an idea, a sign-in) costs one type check per object and sends nothing.
    """
    surveys: set[int] = set()
    questions: set[int] = set()
    changed: Iterable[Survey | Section | Question | Option | SurveyTranslation] = (
        *(o for o in session.new if isinstance(o, STRUCTURE_TYPES)),
        *(o for o in session.deleted if isinstance(o, STRUCTURE_TYPES)),
        *(o for o in session.dirty if isinstance(o, STRUCTURE_TYPES) and session.is_modified(o)),
    )
    for thing in changed:
        if isinstance(thing, Survey):
            if thing.id is not None:
                surveys.add(thing.id)
        elif isinstance(thing, Option):
            if thing.question_id is not None:
                questions.add(thing.question_id)
        elif thing.survey_id is not None:  # a section, question or translation
            surveys.add(thing.survey_id)
    return surveys, questions


@event.listens_for(Session, "after_flush")
def restamp_changed(session: Session, _context: object) -> None:
    """Give every survey changed in this flush a new stamp, in the same transaction.

    After the flush, so new rows have their ids; the session's new, dirty and deleted sets
    still describe what was flushed.
    """
    surveys, questions = _changed_surveys(session)
    if not surveys and not questions:
        return
    connection = session.connection()
    stamp = secrets.token_hex(16)
    table = Survey.__table__
    if surveys:
        connection.execute(
            update(table).where(table.c.id.in_(surveys)).values(structure_stamp=stamp)
        )
    if questions:
        owners = select(Question.__table__.c.survey_id).where(
            Question.__table__.c.id.in_(questions)
        )
        connection.execute(
            update(table).where(table.c.id.in_(owners)).values(structure_stamp=stamp)
        )
