"""A resident's way through a survey: drafts kept server-side, pages, checking and sending.

The session holds only a random token per survey; the answers typed so far live in a
``survey_draft`` row under the token's hash, so no cookie grows with the answers.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.datastructures import MultiDict

from consult.core.security import token_digest
from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.forms import PageForm, page_form_class
from consult.surveys.kinds import (
    answer_values,
    chosen_options,
    field_names,
    shown_answer,
)
from consult.surveys.models import Channel, Draft, Question, Response, Section, Survey
from consult.surveys.services import store_response
from consult.surveys.skips import condition_of, depends_on_same_page
from consult.surveys.structure import kept_structure

Raw = Mapping[str, Sequence[str]]


def find_draft(survey: Survey, token: str | None) -> Draft | None:
    """The draft this token opens for this survey, sent or not."""
    if not token:
        return None
    return db.session.scalar(
        select(Draft).where(Draft.token_hash == token_digest(token), Draft.survey_id == survey.id)
    )


def new_token() -> str:
    return secrets.token_urlsafe(32)


def start_draft(survey: Survey, token: str | None = None) -> tuple[Draft, str]:
    """A new empty draft and the token (to keep in the session) that opens it: ``token`` if
    given (one a page gave out before any draft was written), else a new one.

    Added, not flushed: the page's answers usually go in before the commit, so the row is
    written once (one INSERT) rather than inserted empty and then updated.
    """
    token = token or new_token()
    draft = Draft(
        survey_id=survey.id, token_hash=token_digest(token), answers={}, updated_at=utcnow()
    )
    db.session.add(draft)
    return draft, token


def choices_in(survey: Survey, raw: Raw) -> dict[int, set[int]]:
    """Chosen option ids by question, from raw answers (for skip logic). With no answers yet
    (a page sent as first shown) nothing is chosen: a question left out has chosen nothing."""
    if not raw:
        return {}
    return {q.id: chosen_options(q, raw) for q in survey.questions if q.question_kind.has_options}


def shown_sections(survey: Survey, raw: Raw) -> list[Section]:
    """The sections the answers so far lead to, in order."""
    choices = choices_in(survey, raw)
    return [s for s in survey.sections if condition_of(s).met(choices)]


def page_form(
    survey: Survey, section: Section, raw: Raw, formdata: MultiDict[str, str] | None, **kw: Any
) -> PageForm:
    """The form for one section: its questions that earlier pages' answers leave shown."""
    choices = choices_in(survey, raw)
    questions = [
        q for q in section.questions if depends_on_same_page(q) or condition_of(q).met(choices)
    ]
    form_class = page_form_class(section, questions, kept_structure(survey))
    form = form_class(formdata=formdata, **kw)
    form.earlier_choices = choices
    return form


def raw_formdata(raw: Raw) -> MultiDict[str, str]:
    return MultiDict([(name, value) for name, values in raw.items() for value in values])


def save_page(draft: Draft, section: Section, form: PageForm) -> None:
    """Keep a valid page's answers in the draft; answers to hidden questions are dropped.

    Not flushed: the commit writes them (a draft started for this page in one INSERT; one sent
    straight from this page with its response, see :func:`send_draft`)."""
    answers = {
        name: values
        for name, values in draft.answers.items()
        if not any(name in field_names(q) for q in section.questions)
    }
    hidden = {q.id for q in form.hidden_questions()}
    for question in form.page_questions:
        if question.id in hidden:
            continue
        for name in field_names(question):
            values = [str(v) for v in (form[name].raw_data or []) if str(v).strip()]
            if values:
                answers[name] = values
    draft.answers = answers
    draft.updated_at = utcnow()


@dataclass(frozen=True)
class Entry:
    """How a response came in: online from the resident, or keyed in by a member or officer."""

    channel: Channel = Channel.ONLINE
    event_name: str | None = None
    keyed_by_id: int | None = None


ONLINE = Entry()


@dataclass
class CheckedPage:
    section: Section
    form: PageForm
    questions: list[Question]


def check_all(
    survey: Survey, raw: Raw, checked: Mapping[int, PageForm] | None = None
) -> tuple[list[CheckedPage], Section | None]:
    """Every shown page re-checked from the draft; and the first page that needs answers.

    ``checked`` holds forms this request has already checked, by section id: a page that
    sends has just checked its own answers, the ones the draft now holds for it."""
    pages: list[CheckedPage] = []
    for section in shown_sections(survey, raw):
        form = (checked or {}).get(section.id)
        if form is None:
            form = page_form(survey, section, raw, raw_formdata(raw))
            if not form.validate():
                return pages, section
        hidden = {q.id for q in form.hidden_questions()}
        shown = [q for q in form.page_questions if q.id not in hidden]
        pages.append(CheckedPage(section, form, shown))
    return pages, None


def summary_rows(pages: Sequence[CheckedPage]) -> list[tuple[Section, Question, list[str]]]:
    """(section, question, answer lines) for the check-your-answers page."""
    return [
        (page.section, question, shown_answer(question, page.form))
        for page in pages
        for question in page.questions
    ]


def send_draft(
    survey: Survey, draft: Draft, pages: Sequence[CheckedPage], entry: Entry = ONLINE
) -> Response | None:
    """Store the checked answers once. None if this draft was already sent (a double submit).

    The draft is claimed with a conditional UPDATE, so of two concurrent sends only one stores
    anything. A draft started in this request and not yet written (a page that sends, opened
    afresh) cannot have been sent by anyone else: it is written once, with its response, and
    last, so that of two presses writing the same token's draft at once, the second fails on
    the token and keeps nothing. The caller commits (or rolls back on None).
    """
    rows = answer_rows(pages)
    entered = (entry.channel, entry.event_name, entry.keyed_by_id)
    if inspect(draft).pending:
        db.session.expunge(draft)  # kept out of any flush: written below, with the response
        try:
            return store_response(survey, rows, *entered, draft=draft)
        except IntegrityError as error:
            if not token_taken(error):
                raise
            return None  # the same token's draft, written by the other press: it sent them
    response = store_response(survey, rows, *entered)
    claimed_at = utcnow()
    claimed = db.session.execute(
        update(Draft)
        .where(Draft.id == draft.id, Draft.response_id.is_(None))
        .values(response_id=response.id, updated_at=claimed_at)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    # The claim succeeded, so the row now holds exactly these (no second read needed).
    set_committed_value(draft, "response_id", response.id)
    set_committed_value(draft, "updated_at", claimed_at)
    return response


def answer_rows(pages: Sequence[CheckedPage]) -> list[dict[str, Any]]:
    """The column values of every answer on the checked pages, as a response stores them."""
    return [row for page in pages for q in page.questions for row in answer_values(q, page.form)]


def token_taken(error: IntegrityError) -> bool:
    """Whether ``error`` is a second draft under the same token (its unique hash)."""
    return "token_hash" in str(error.orig)


def resume_section(survey: Survey, raw: Raw) -> Section | None:
    """Where saved answers carry on: the first shown page that needs answers or has none yet;
    None when every page is done (the check page is next)."""
    _, unfinished = check_all(survey, raw)
    if unfinished is not None:
        return unfinished
    for section in shown_sections(survey, raw):
        if not any(name in raw for q in section.questions for name in field_names(q)):
            return section
    return None
