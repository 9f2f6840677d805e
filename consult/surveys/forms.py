"""The resident's form for one section (page) of a survey, built from its questions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from consult.core.i18n import current_language
from consult.core.widgets import GovSubmitInput
from consult.surveys.kinds import chosen_options, field_names, question_fields
from consult.surveys.models import Question, Section
from consult.surveys.skips import condition_of
from consult.surveys.structure import Structure


class PageForm(FlaskForm):
    """A section's questions. Questions hidden by an answer on the same page are not checked.

    ``page_questions`` (set on each built class) lists the questions in order; a question whose
    condition depends on another question of the page is judged on the submitted answers.
    """

    class Meta:
        # CSRFProtect checks the token of every POST before any view runs; the page's form
        # checking it again (and signing a new one as it is built) was a tenth of the cost
        # of sending a page. The page puts the token in with csrf_token().
        csrf = False

    page_questions: Sequence[Question] = ()
    earlier_choices: Mapping[int, set[int]] = {}  # set on each form, by ``answering.page_form``
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
    _hidden: list[Question] | None = None

    def choices_so_far(self) -> dict[int, set[int]]:
        """Chosen options by question: earlier pages' and this page's."""
        choices = dict(self.earlier_choices)
        for question in self.page_questions:
            raw = {name: _as_list(self[name].data) for name in field_names(question)}
            choices[question.id] = chosen_options(question, raw)
        return choices

    def hidden_questions(self) -> list[Question]:
        """The page's questions that its answers (and earlier pages') hide. Worked out once a
        form: checking, saving and sending a page each ask, and the answers do not change."""
        if self._hidden is None:
            choices = self.choices_so_far()
            self._hidden = [q for q in self.page_questions if not condition_of(q).met(choices)]
        return list(self._hidden)

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        hidden_names = [name for q in self.hidden_questions() for name in field_names(q)]
        hidden = {name: self._fields.pop(name) for name in hidden_names}
        try:
            return bool(super().validate(extra_validators))
        finally:
            self._fields.update(hidden)
            for hidden_field in hidden.values():
                hidden_field.errors = []


def _as_list(data: Any) -> list[str]:
    if data is None:
        return []
    if isinstance(data, list):
        return [str(value) for value in data]
    return [str(data)]


def page_form_class(
    section: Section, questions: Sequence[Question], kept: Structure | None = None
) -> type[PageForm]:
    """A form class with the fields of ``questions`` (those of ``section`` still shown).

    When ``section`` belongs to ``kept``, a structure kept between requests (never changed in
    place: see consult.surveys.structure), the class is built once per set of shown questions
    and language and kept by that structure, as building its fields is most of a survey
    page's own work. Any other section (the builder's live rows) gets a new class.
    """
    if kept is None or not kept.owns(section):
        return _form_class(section, questions)
    key = ("form", section.id, tuple(q.id for q in questions), current_language().code)
    form_class: type[PageForm] = kept.made(key, lambda: _form_class(section, questions))
    return form_class


def _form_class(section: Section, questions: Sequence[Question]) -> type[PageForm]:
    attributes: dict[str, Any] = {"page_questions": tuple(questions)}
    for question in questions:
        attributes.update(question_fields(question))
    return type(f"SectionForm{section.id}", (PageForm,), attributes)
