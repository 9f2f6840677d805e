"""What a section page shows for each question: its fields, kind and any condition."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from wtforms import Field

from consult.surveys.forms import PageForm
from consult.surveys.kinds import field_names, other_option, short
from consult.surveys.models import Question
from consult.surveys.skips import depends_on_same_page
from consult.surveys.translations import localised


@dataclass(frozen=True)
class PageItem:
    """One question as the template draws it."""

    question: Question
    fields: list[Field]
    condition: str  # e.g. "Answer this if you chose ‘Yes’ for ‘Do you have children?’"

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def main(self) -> Field:
        return self.fields[0]

    @property
    def other(self) -> Field | None:
        return self.fields[1] if other_option(self.question) is not None else None

    @property
    def input_mode(self) -> str:
        return "numeric" if self.question.whole_number else "decimal"


def condition_text(question: Question) -> str:
    """The hint for a question whose showing depends on an answer on the same page.

    Without JavaScript such a question cannot appear and disappear, so it is always on the page,
    saying when to answer it; its answer is ignored unless the condition is met.
    """
    if not depends_on_same_page(question):
        return ""
    controller = next(q for q in question.section.questions if q.id == question.show_if_question_id)
    option = next((o for o in controller.options if o.id == question.show_if_option_id), None)
    if option is None:
        return ""
    return gettext(
        "Answer this only if you chose ‘%(answer)s’ for ‘%(name)s’.",
        answer=localised(option, "label"),
        name=short(localised(controller, "text")),
    )


def page_items(form: PageForm) -> list[PageItem]:
    return [
        PageItem(q, [form[name] for name in field_names(q)], condition_text(q))
        for q in form.page_questions
    ]
