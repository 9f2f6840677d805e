"""A page that sends, posted just after this process showed it afresh: sent without reading the
survey first.

Most residents of a one-page survey open its page and send it moments later. Reading the
survey, its neighbourhood and the resident's draft again before storing the answers was the
largest part of sending them that is consult's own. When this process showed the page afresh
within the last second (consult.surveys.blank keeps, for ``RECENT_SECONDS``, what showing it
again needs, with the survey's and its neighbourhood's rows as read for it), the answers are
checked against that survey row and the structure kept for its stamp, and stored by one
statement that writes nothing unless the survey's row still holds what the page saw
(``consult.surveys.services.UNCHANGED_COLUMNS``: its status, dates, access, sending and
structure). A survey closed or changed in that second stores nothing here, and the page is
then handled as usual, everything read afresh. So is anything out of the common way: a page
with errors or asked to be saved for later, a resident whose draft is already written (a second
press of "Send", or pages saved earlier: the statement finds the draft's token taken), a survey
that needs a code or an email, and any database but PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import g, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError

from consult.core.time import utcnow
from consult.extensions import db
from consult.surveys.answering import (
    answer_rows,
    check_all,
    page_form,
    save_page,
    shown_sections,
    token_taken,
)
from consult.surveys.blank import recently_shown
from consult.surveys.flow import RESIDENT, sends_here
from consult.surveys.models import AccessMode, Response, Section, Survey
from consult.surveys.services import SurveyChangedError, store_response

Sent = Callable[[Survey, Response], ResponseReturnValue]


def send_as_shown(survey_id: int, number: int, sent: Sent) -> ResponseReturnValue | None:
    """Store a resident's answers from the page that sends, as this process showed it within
    the last second, and ``sent`` commits them; None when the page is to be handled as usual
    (nothing is kept from trying)."""
    found = _page_as_shown(survey_id, number)
    if found is None:
        return None
    survey, current, as_seen = found
    form = page_form(survey, current, {}, request.form)
    if not form.validate():
        return None  # shown again with its errors, as usual
    draft = RESIDENT.editable_draft(survey, None, given_token=True)
    db.session.expunge(draft)  # written by the storing statement, with the response
    save_page(draft, current, form)
    pages, unfinished = check_all(survey, draft.answers, {current.id: form})
    if unfinished is not None:
        return None
    try:
        response = store_response(survey, answer_rows(pages), draft=draft, as_seen=as_seen)
    except SurveyChangedError:
        db.session.rollback()
        return None
    except IntegrityError as error:
        db.session.rollback()
        if not token_taken(error):
            raise
        return None  # this token's draft is written already: as usual, it is read first
    return sent(survey, response)


def _page_as_shown(survey_id: int, number: int) -> tuple[Survey, Section, Mapping[str, Any]] | None:
    """The survey as this page was shown, the page's section and the survey's row, if this is
    a resident sending an open survey's page that sends, as it was shown: None otherwise."""
    if request.method != "POST" or request.query_string or request.form.get("save") == "later":
        return None
    shown = recently_shown(survey_id)
    if shown is None or RESIDENT.token_of(survey_id) is None:
        return None
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    survey = shown.survey()
    if not (survey.access is AccessMode.OPEN and survey.is_open(utcnow())):
        return None
    if not 1 <= number <= len(survey.sections):
        return None
    current = survey.sections[number - 1]
    if current.id != shown.section_id or current not in shown_sections(survey, {}):
        return None
    if not sends_here(RESIDENT, survey, current):
        return None
    # Its languages as it was shown (as a page shown again keeps them, in consult.surveys.blank):
    # the form is in the page's language, and working that out would read the neighbourhood.
    g.offered_languages = list(shown.languages)
    return survey, current, shown.survey_row
