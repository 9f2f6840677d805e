"""The checks on residents' answers, one per rule, each message naming its question."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext, ngettext
from wtforms import Field
from wtforms.validators import InputRequired, Optional, StopValidation, ValidationError

from consult.surveys.models import Option, Question
from consult.surveys.naming import ORDINALS, field_name, rank_name, short
from consult.surveys.postcodes import postcode_sector
from consult.surveys.translations import localised

# Numeric(14, 4) holds up to ten digits before the point.
NUMBER_LIMIT = Decimal(10) ** 9

Check = Callable[[Any, Field], None]


def option_ids(question: Question) -> set[str]:
    return {str(o.id) for o in question.options}


def name_of(question: Question) -> str:
    """The question as messages name it: in the page's language, shortened."""
    return short(localised(question, "text"))


def required(question: Question, message: str) -> list[Check]:
    return [InputRequired(message)] if question.required else [Optional()]


def longest(limit: int, message: str) -> Check:
    """At most ``limit`` characters. (WTForms' Length would %-format the message, which names
    the question: a question with a "%" in it would break it.)"""

    def check(form: Any, field: Field) -> None:
        if len(field.data or "") > limit:
            raise ValidationError(message)

    return check


def listed(question: Question) -> Check:
    """Refuse an option id that is not one of this question's (forged or out of date)."""
    valid = option_ids(question)
    message = gettext("Select one of the answers listed for ‘%(name)s’", name=name_of(question))

    def check(form: Any, field: Field) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in valid for value in values if value):
            raise ValidationError(message)

    return check


def at_most(question: Question) -> Check:
    most = question.max_choices

    def check(form: Any, field: Field) -> None:
        if most is not None and len(field.data or []) > most:
            raise ValidationError(
                ngettext(
                    "Select no more than %(num)s answer to ‘%(name)s’",
                    "Select no more than %(num)s answers to ‘%(name)s’",
                    most,
                    name=name_of(question),
                )
            )

    return check


def at_least_one(question: Question) -> Check:
    def check(form: Any, field: Field) -> None:
        if question.required and not field.data:
            raise StopValidation(
                gettext("Select at least one answer to ‘%(name)s’", name=name_of(question))
            )

    return check


def other_given(question: Question, other: Option) -> Check:
    """ "Other" chosen: its text is needed."""

    def check(form: Any, field: Field) -> None:
        if form[field_name(question)].data == str(other.id) and not (field.data or "").strip():
            raise StopValidation(
                gettext(
                    "Enter your other answer to ‘%(name)s’, or choose another answer",
                    name=name_of(question),
                )
            )
        if not (field.data or "").strip():
            raise StopValidation()

    return check


def parse_number(raw: str | None) -> Decimal | None:
    """A typed number (commas and spaces allowed) as a Decimal; None if it is not one."""
    cleaned = (raw or "").replace(",", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def number_range(question: Question) -> str:
    """The message for a number outside the question's range, saying what the range is."""
    name = name_of(question)
    low = f"{question.min_value.normalize():f}" if question.min_value is not None else None
    high = f"{question.max_value.normalize():f}" if question.max_value is not None else None
    if low is not None and high is not None:
        return gettext(
            "Enter a number between %(low)s and %(high)s for ‘%(name)s’",
            low=low,
            high=high,
            name=name,
        )
    if low is not None:
        return gettext("Enter a number of %(low)s or more for ‘%(name)s’", low=low, name=name)
    if high is not None:
        return gettext("Enter a number of %(high)s or less for ‘%(name)s’", high=high, name=name)
    return gettext("Enter a number smaller than a billion for ‘%(name)s’", name=name)


def number(question: Question) -> Check:
    name = name_of(question)

    def check(form: Any, field: Field) -> None:
        value = parse_number(field.data)
        if value is None:
            raise ValidationError(gettext("Enter a number for ‘%(name)s’, like 12", name=name))
        if question.whole_number and value != value.to_integral_value():
            raise ValidationError(
                gettext("Enter a whole number for ‘%(name)s’, like 12", name=name)
            )
        low, high = question.min_value, question.max_value
        if (
            (low is not None and value < low)
            or (high is not None and value > high)
            or abs(value) >= NUMBER_LIMIT
        ):
            raise ValidationError(number_range(question))

    return check


def postcode(question: Question) -> Check:
    def check(form: Any, field: Field) -> None:
        if postcode_sector(field.data or "") is None:
            raise ValidationError(
                gettext(
                    "Enter a full UK postcode for ‘%(name)s’, like LS9 7AB", name=name_of(question)
                )
            )

    return check


def ranking(question: Question, rank: int) -> Check:
    """The n-th choice: listed, not chosen twice, not after a gap; the 1st when required."""
    name = name_of(question)
    labels = {str(o.id): localised(o, "label") for o in question.options}

    def check(form: Any, field: Field) -> None:
        value = field.data or ""
        if not value:
            if rank == 1 and question.required:
                raise StopValidation(gettext("Choose your 1st choice for ‘%(name)s’", name=name))
            raise StopValidation()
        if value not in labels:
            raise ValidationError(
                gettext("Choose one of the answers listed for ‘%(name)s’", name=name)
            )
        earlier = [form[rank_name(question, n)].data or "" for n in range(1, rank)]
        if "" in earlier:
            raise ValidationError(
                gettext(
                    "Choose your %(missing)s choice before your %(ordinal)s for ‘%(name)s’",
                    missing=ORDINALS[earlier.index("")],
                    ordinal=ORDINALS[rank - 1],
                    name=name,
                )
            )
        if value in earlier:
            raise ValidationError(
                gettext(
                    "You chose ‘%(answer)s’ more than once for ‘%(name)s’: choose a different "
                    "%(ordinal)s choice",
                    answer=labels[value],
                    name=name,
                    ordinal=ORDINALS[rank - 1],
                )
            )

    return check
