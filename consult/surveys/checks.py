"""The checks on residents' answers, one per rule, each message naming its question."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from wtforms import Field
from wtforms.validators import InputRequired, Optional, StopValidation, ValidationError

from consult.surveys.models import Option, Question
from consult.surveys.naming import ORDINALS, field_name, rank_name, short
from consult.surveys.postcodes import postcode_sector

# Numeric(14, 4) holds up to ten digits before the point.
NUMBER_LIMIT = Decimal(10) ** 9

Check = Callable[[Any, Field], None]


def option_ids(question: Question) -> set[str]:
    return {str(o.id) for o in question.options}


def required(question: Question, message: str) -> list[Check]:
    return [InputRequired(message)] if question.required else [Optional()]


def listed(question: Question) -> Check:
    """Refuse an option id that is not one of this question's (forged or out of date)."""
    valid = option_ids(question)
    message = f"Select one of the answers listed for ‘{short(question.text)}’"

    def check(form: Any, field: Field) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in valid for value in values if value):
            raise ValidationError(message)

    return check


def at_most(question: Question) -> Check:
    most = question.max_choices

    def check(form: Any, field: Field) -> None:
        if most is not None and len(field.data or []) > most:
            raise ValidationError(f"Select no more than {most} answers to ‘{short(question.text)}’")

    return check


def at_least_one(question: Question) -> Check:
    def check(form: Any, field: Field) -> None:
        if question.required and not field.data:
            raise StopValidation(f"Select at least one answer to ‘{short(question.text)}’")

    return check


def other_given(question: Question, other: Option) -> Check:
    """ "Other" chosen: its text is needed."""

    def check(form: Any, field: Field) -> None:
        if form[field_name(question)].data == str(other.id) and not (field.data or "").strip():
            raise StopValidation(
                f"Enter your other answer to ‘{short(question.text)}’, or choose another answer"
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
    low, high = question.min_value, question.max_value
    if low is not None and high is not None:
        return f"between {low.normalize():f} and {high.normalize():f}"
    if low is not None:
        return f"of {low.normalize():f} or more"
    if high is not None:
        return f"of {high.normalize():f} or less"
    return "smaller than a billion"


def number(question: Question) -> Check:
    name = short(question.text)

    def check(form: Any, field: Field) -> None:
        value = parse_number(field.data)
        if value is None:
            raise ValidationError(f"Enter a number for ‘{name}’, like 12")
        if question.whole_number and value != value.to_integral_value():
            raise ValidationError(f"Enter a whole number for ‘{name}’, like 12")
        low, high = question.min_value, question.max_value
        if (
            (low is not None and value < low)
            or (high is not None and value > high)
            or abs(value) >= NUMBER_LIMIT
        ):
            raise ValidationError(f"Enter a number {number_range(question)} for ‘{name}’")

    return check


def postcode(question: Question) -> Check:
    def check(form: Any, field: Field) -> None:
        if postcode_sector(field.data or "") is None:
            raise ValidationError(
                f"Enter a full UK postcode for ‘{short(question.text)}’, like LS9 7AB"
            )

    return check


def ranking(question: Question, rank: int) -> Check:
    """The n-th choice: listed, not chosen twice, not after a gap; the 1st when required."""
    name = short(question.text)
    labels = {str(o.id): o.label for o in question.options}

    def check(form: Any, field: Field) -> None:
        value = field.data or ""
        if not value:
            if rank == 1 and question.required:
                raise StopValidation(f"Choose your 1st choice for ‘{name}’")
            raise StopValidation()
        if value not in labels:
            raise ValidationError(f"Choose one of the answers listed for ‘{name}’")
        earlier = [form[rank_name(question, n)].data or "" for n in range(1, rank)]
        if "" in earlier:
            raise ValidationError(
                f"Choose your {ORDINALS[earlier.index('')]} choice before your "
                f"{ORDINALS[rank - 1]} for ‘{name}’"
            )
        if value in earlier:
            raise ValidationError(
                f"You chose ‘{labels[value]}’ more than once for ‘{name}’: choose a different "
                f"{ORDINALS[rank - 1]} choice"
            )

    return check
