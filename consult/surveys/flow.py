"""The pages a response goes through, shared by residents and by staff keying one in for them.

A :class:`Flow` says where its drafts' tokens live in the session and which endpoints are its
pages. Residents answer through ``RESIDENT``; a member or officer entering a paper or phone
response uses ``ASSISTED``, whose drafts live under another session key, so they never mix with
anything the same person answers for themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood
from consult.surveys.answering import (
    CheckedPage,
    check_all,
    find_draft,
    new_token,
    page_form,
    raw_formdata,
    save_page,
    shown_sections,
    start_draft,
    summary_rows,
)
from consult.surveys.blank import blank_page
from consult.surveys.forms import PageForm
from consult.surveys.models import Draft, Section, Survey
from consult.surveys.pages import page_items

Send = Callable[[Survey, Draft, Sequence[CheckedPage]], ResponseReturnValue]


@dataclass(frozen=True)
class Flow:
    drafts_key: str
    start: str
    section: str
    check: str
    done: str
    assisted: bool

    def url(self, survey: Survey, endpoint: str, **values: Any) -> str:
        return url_for(
            f"surveys.{endpoint}", slug=survey.neighbourhood.slug, survey_id=survey.id, **values
        )

    def section_url(self, survey: Survey, section: Section) -> str:
        return self.url(survey, self.section, number=survey.sections.index(section) + 1)

    def token(self, survey: Survey) -> str | None:
        return self.token_of(survey.id)

    def token_of(self, survey_id: int) -> str | None:
        value = session.get(self.drafts_key, {}).get(str(survey_id))
        return value if isinstance(value, str) else None

    def read_already(self, survey: Survey, token: str | None, draft: Draft | None) -> None:
        """Keep, for this request, the draft ``token`` opened when the page read its survey."""
        g.setdefault("drafts_read", {})[(self.drafts_key, survey.id, token)] = draft

    def keep_token(self, survey_id: int, token: str) -> None:
        if self.token_of(survey_id) == token:
            return  # kept already: the session (a signed cookie) is not written again
        session[self.drafts_key] = {**session.get(self.drafts_key, {}), str(survey_id): token}

    def draft(self, survey: Survey) -> Draft | None:
        """The draft this flow's token opens: as read with the page's survey, if it was."""
        token = self.token(survey)
        read: dict[tuple[str, int, str | None], Draft | None] = g.get("drafts_read", {})
        key = (self.drafts_key, survey.id, token)
        return read[key] if key in read else find_draft(survey, token)

    def new_draft(self, survey: Survey, token: str | None = None) -> Draft:
        """Start an empty draft and keep its token in this flow's part of the session."""
        draft, token = start_draft(survey, token)
        self.keep_token(survey.id, token)
        return draft

    def editable_draft(
        self, survey: Survey, draft: Draft | None, given_token: bool = False
    ) -> Draft:
        """``draft`` (this page's, as :meth:`draft` read it) if unsent, else a new one.

        With ``given_token``, a new draft takes the token the page gave out (see
        :func:`give_token`), so a second press of its button finds the first one's draft.
        """
        if draft is None:
            return self.new_draft(survey, self.token(survey) if given_token else None)
        if draft.response_id is not None:
            return self.new_draft(survey)
        return draft


def answers_so_far(draft: Draft | None) -> dict[str, list[str]]:
    """The answers of an unsent draft; none for no draft or a sent one."""
    return dict(draft.answers) if draft is not None and draft.response_id is None else {}


RESIDENT = Flow("survey_drafts", "answer", "section", "check", "thank_you", assisted=False)
ASSISTED = Flow(
    "survey_assisted_drafts",
    "assisted_start",
    "assisted_section",
    "assisted_check",
    "assisted_sent",
    assisted=True,
)


def sends_here(flow: Flow, survey: Survey, section: Section) -> bool:
    """Whether this page sends the answers: the last section of a survey sent from its last
    page. Residents only: staff keying in a paper or phone response always check it first."""
    return not flow.assisted and survey.send_from_last_page and section is survey.sections[-1]


def give_token(flow: Flow, survey: Survey, draft: Draft | None) -> None:
    """Before a page that sends is shown: a token for this filling-in, kept in the session but
    with no draft written yet (showing a page writes nothing). Pressing "Send" twice then
    sends once; a page shown after sending starts afresh."""
    if (draft is None and flow.token(survey) is None) or (
        draft is not None and draft.response_id is not None
    ):
        flow.keep_token(survey.id, new_token())


def _after(flow: Flow, survey: Survey, current: Section, raw: dict[str, list[str]]) -> str:
    """Where a saved page leads: back to the check page when changing, else the next page."""
    if request.args.get("next") == "check":
        return flow.url(survey, flow.check)
    later = [s for s in shown_sections(survey, raw) if s.position > current.position]
    return flow.section_url(survey, later[0]) if later else flow.url(survey, flow.check)


def _posted(
    flow: Flow, survey: Survey, current: Section, form: PageForm, read: Draft | None
) -> str | None:
    """Handle a posted page: where to go next, or None to show it again with its errors.

    ``read`` is the draft as the page read it (one query per page, not one per use)."""
    if not flow.assisted and request.form.get("save") == "later":
        # Kept as typed, even if not yet valid: the check page asks for anything still missing.
        save_page(flow.editable_draft(survey, read, sends_here(flow, survey, current)), current,
                  form)  # fmt: skip
        db.session.commit()
        return flow.url(survey, "save")
    if not form.validate():
        return None
    draft = flow.editable_draft(survey, read)
    save_page(draft, current, form)
    # Found before the commit, which expires the survey: after it, every option would load again.
    target = _after(flow, survey, current, dict(draft.answers))
    db.session.commit()
    return target


def _send_page(
    flow: Flow, survey: Survey, current: Section, form: PageForm, read: Draft | None, send: Send
) -> ResponseReturnValue | None:
    """A posted page that sends: its answers saved, every page checked as the check page
    would, then sent; None to show it again with its errors."""
    if read is not None and read.response_id is not None:
        return redirect(flow.url(survey, flow.done))  # pressed again: the first press sent them
    if not form.validate():
        return None
    draft = flow.editable_draft(survey, read, given_token=True)
    save_page(draft, current, form)
    pages, unfinished = check_all(survey, draft.answers, {current.id: form})
    if unfinished is not None:
        back = flow.section_url(survey, unfinished)  # before the commit, which expires the survey
        db.session.commit()  # what this page had is kept
        flash(gettext("Some questions on this page still need an answer."))
        return redirect(back)
    return send(survey, draft, pages)


def section_page(
    flow: Flow, neighbourhood: Neighbourhood, survey: Survey, number: int, send: Send | None = None
) -> ResponseReturnValue:
    """One section: shown with the answers so far, or saved and on to the next. On the last
    page of a survey sent from there (see :func:`sends_here`), ``send`` stores the answers."""
    if not 1 <= number <= len(survey.sections):
        abort(404)
    current = survey.sections[number - 1]
    draft = flow.draft(survey)
    raw = answers_so_far(draft)
    shown = shown_sections(survey, raw)
    if current not in shown:
        # An earlier answer skips this page: go on to the next page that is shown.
        later = [s for s in shown if s.position > current.position]
        return redirect(
            flow.section_url(survey, later[0]) if later else flow.url(survey, flow.check)
        )
    sends = send is not None and sends_here(flow, survey, current)
    if request.method == "POST":
        form = page_form(survey, current, raw, request.form)
        if send is not None and sends and request.form.get("save") != "later":
            sent = _send_page(flow, survey, current, form, draft, send)
            if sent is not None:
                return sent
        else:
            target = _posted(flow, survey, current, form, draft)
            if target is not None:
                return redirect(target)
    else:
        if sends:
            give_token(flow, survey, draft)
        if not raw and not flow.assisted:  # as most residents first see it: kept, once drawn
            return blank_page(
                survey,
                current,
                flow.section_url(survey, current),
                lambda: _draw(flow, neighbourhood, survey, current, shown, sends,
                              page_form(survey, current, raw, None)),
                sends,
            )  # fmt: skip
        form = page_form(survey, current, raw, raw_formdata(raw) if raw else None)
    return _draw(flow, neighbourhood, survey, current, shown, sends, form)


def _draw(
    flow: Flow,
    neighbourhood: Neighbourhood,
    survey: Survey,
    current: Section,
    shown: Sequence[Section],
    sends: bool,
    form: PageForm,
) -> str:
    index = shown.index(current)
    back = flow.section_url(survey, shown[index - 1]) if index else flow.url(survey, flow.start)
    return render_template(
        "surveys/section.html",
        neighbourhood=neighbourhood,
        survey=survey,
        section=current,
        form=form,
        items=page_items(form),
        progress=(index + 1, len(shown)),
        back_url=back,
        assisted=flow.assisted,
        sends=sends,
    )


def check_page(
    flow: Flow, neighbourhood: Neighbourhood, survey: Survey, send: Send
) -> ResponseReturnValue:
    """Check every answer; on POST, ``send`` stores them (a draft is sent only once)."""
    draft = flow.draft(survey)
    if draft is not None and draft.response_id is not None:
        return redirect(flow.url(survey, flow.done))  # already sent: a second "Send" stores nothing
    pages, unfinished = check_all(survey, draft.answers if draft is not None else {})
    if draft is None or unfinished is not None:
        if draft is not None:
            flash(gettext("Some questions on this page still need an answer."))
        return redirect(flow.section_url(survey, unfinished or survey.sections[0]))
    if request.method == "POST":
        return send(survey, draft, pages)
    return render_template(
        "surveys/check.html",
        neighbourhood=neighbourhood,
        survey=survey,
        rows=summary_rows(pages),
        section_url=lambda s: flow.section_url(survey, s) + "?next=check",
        back_url=flow.section_url(survey, pages[-1].section) if pages else None,
        assisted=flow.assisted,
    )
