"""Each question kind: the form fields it needs and the rows its answer is stored as.

The rules the fields are checked by are in :mod:`consult.surveys.checks`; field names in
:mod:`consult.surveys.naming`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from consult.core.forms import whole_number
from consult.core.widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from consult.surveys.checks import (
    at_least_one,
    at_most,
    listed,
    longest,
    number,
    other_given,
    parse_number,
    postcode,
    ranking,
    required,
)
from consult.surveys.models import Answer, Option, OptionRole, Question, QuestionKind
from consult.surveys.naming import (
    ORDINALS,
    field_name,
    other_name,
    rank_name,
    short,
)
from consult.surveys.postcodes import postcode_sector
from consult.surveys.translations import localised

DEFAULT_TEXT_LIMIT = 2000
OTHER_TEXT_LIMIT = 200
MAX_RANKS = len(ORDINALS)


def rank_count(question: Question) -> int:
    """How many choices a ranking asks for: its top N, never more than its options."""
    options = len(question.options)
    wanted = question.max_choices or options
    return max(0, min(wanted, options, MAX_RANKS))


def field_names(question: Question) -> list[str]:
    """Every form field name the question uses."""
    names = [field_name(question)]
    if question.question_kind is QuestionKind.RANKING:
        names = [rank_name(question, n) for n in range(1, rank_count(question) + 1)]
    elif other_option(question) is not None:
        names.append(other_name(question))
    return names


def other_option(question: Question) -> Option | None:
    return next((o for o in question.options if o.role == OptionRole.OTHER), None)


def _choices(question: Question) -> list[SelectChoice]:
    return [SelectChoice(str(o.id), localised(o, "label")) for o in question.options]


def _choice_fields(question: Question) -> dict[str, Field]:
    text = localised(question, "text")
    name = short(text)
    kind = question.question_kind
    fields: dict[str, Field] = {}
    if kind is QuestionKind.MULTIPLE_CHOICE:
        fields[field_name(question)] = SelectMultipleField(
            text,
            description=localised(question, "help_text"),
            choices=_choices(question),
            validators=[at_least_one(question), listed(question), at_most(question)],
            validate_choice=False,
            widget=GovCheckboxesInput(),
        )
    else:
        fields[field_name(question)] = RadioField(
            text,
            description=localised(question, "help_text"),
            choices=_choices(question),
            validators=[
                *required(question, gettext("Select an answer to ‘%(name)s’", name=name)),
                listed(question),
            ],
            validate_choice=False,
            widget=GovRadioInput(),
        )
    other = other_option(question)
    if other is not None:
        fields[other_name(question)] = StringField(
            gettext(
                "If you chose ‘%(answer)s’, please tell us what",
                answer=localised(other, "label"),
            ),
            validators=[
                other_given(question, other),
                longest(
                    OTHER_TEXT_LIMIT,
                    gettext(
                        "Your other answer to ‘%(name)s’ must be %(limit)s characters or fewer",
                        name=name,
                        limit=OTHER_TEXT_LIMIT,
                    ),
                ),
            ],
            widget=GovTextInput(),
        )
    return fields


def _text_field(question: Question) -> Field:
    text = localised(question, "text")
    name = short(text)
    limit = question.max_length or DEFAULT_TEXT_LIMIT
    return TextAreaField(
        text,
        description=localised(question, "help_text"),
        validators=[
            *required(question, gettext("Enter an answer to ‘%(name)s’", name=name)),
            longest(
                limit,
                gettext(
                    "Your answer to ‘%(name)s’ must be %(limit)s characters or fewer",
                    name=name,
                    limit=limit,
                ),
            ),
        ],
        widget=GovTextArea(),
    )


def _typed_field(question: Question) -> Field:
    """Number and postcode: one short text box, checked by the kind's own rule."""
    text = localised(question, "text")
    name = short(text)
    if question.question_kind is QuestionKind.NUMBER:
        missing, rule = gettext("Enter a number for ‘%(name)s’", name=name), number(question)
    else:
        missing, rule = gettext("Enter your postcode for ‘%(name)s’", name=name), postcode(question)
    return StringField(
        text,
        description=localised(question, "help_text"),
        validators=[
            *required(question, missing),
            longest(40, gettext("Your answer to ‘%(name)s’ is too long", name=name)),
            rule,
        ],
        widget=GovTextInput(),
    )


def question_fields(question: Question) -> dict[str, Field]:
    """The unbound form fields for one question, by field name."""
    kind = question.question_kind
    if kind is QuestionKind.RANKING:
        choices = [SelectChoice("", _l("Not chosen")), *_choices(question)]
        return {
            rank_name(question, n): SelectField(
                gettext("%(ordinal)s choice", ordinal=ORDINALS[n - 1]),
                choices=choices,
                validators=[ranking(question, n)],
                validate_choice=False,
                widget=GovSelect(),
            )
            for n in range(1, rank_count(question) + 1)
        }
    if kind.has_options:
        return _choice_fields(question)
    if kind is QuestionKind.FREE_TEXT:
        return {field_name(question): _text_field(question)}
    return {field_name(question): _typed_field(question)}


def chosen_options(question: Question, raw: Mapping[str, Sequence[str]]) -> set[int]:
    """The option ids of this question found in raw form values (for skip logic)."""
    valid = {o.id for o in question.options}
    values = raw.get(field_name(question), [])
    return {n for v in values if (n := whole_number(v)) in valid}


def answer_rows(question: Question, form: Any) -> list[Answer]:
    """The rows a validated answer is stored as; nothing for an unanswered question."""
    return [Answer(**values) for values in answer_values(question, form)]


def answer_values(question: Question, form: Any) -> list[dict[str, Any]]:
    """The column values of :func:`answer_rows`, as plain dicts with every answer column (the
    CSV import inserts them with Core, thousands at a time)."""
    kind = question.question_kind
    if kind is QuestionKind.RANKING:
        picked = [form[rank_name(question, n)].data for n in range(1, rank_count(question) + 1)]
        return [
            row_values(question, option_id=int(value), rank=rank)
            for rank, value in enumerate(picked, start=1)
            if value
        ]
    data = form[field_name(question)].data
    if kind.has_options:
        return _choice_values(question, form, data)
    text = (data or "").strip()
    if not text:
        return []
    if kind is QuestionKind.NUMBER:
        return [row_values(question, number=parse_number(text))]
    if kind is QuestionKind.POSTCODE:
        return [row_values(question, text=postcode_sector(text))]
    return [row_values(question, text=text)]


def row_values(question: Question, **columns: Any) -> dict[str, Any]:
    return {
        "question_id": question.id,
        "option_id": None,
        "text": None,
        "number": None,
        "rank": None,
        **columns,
    }


def _choice_values(question: Question, form: Any, data: Any) -> list[dict[str, Any]]:
    values = data if isinstance(data, list) else [data]
    other = other_option(question)
    rows = []
    for value in sorted({int(v) for v in values if v}):
        text = None
        if other is not None and value == other.id:
            text = form[other_name(question)].data.strip()
        rows.append(row_values(question, option_id=value, text=text))
    return rows


def shown_answer(question: Question, form: Any) -> list[str]:
    """The answer as the check-your-answers page shows it, one line per item."""
    labels = {o.id: localised(o, "label") for o in question.options}
    lines: list[str] = []
    for row in answer_rows(question, form):
        if row.rank is not None:
            lines.append(Markup("%s. %s") % (row.rank, labels[row.option_id or 0]))
        elif row.option_id is not None:
            label = labels[row.option_id]
            lines.append(Markup("%s: %s") % (label, row.text) if row.text else label)
        elif row.number is not None:
            lines.append(f"{row.number.normalize():f}")
        elif question.question_kind is QuestionKind.POSTCODE:
            lines.append(
                gettext("%(sector)s (we keep only this part of your postcode)", sector=row.text)
            )
        else:
            lines.append(row.text or "")
    return lines
