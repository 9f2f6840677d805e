"""Names shared by the survey form code: form field names, ordinals, short question texts.

Field names: ``q<id>`` for the answer, ``q<id>_other`` for "Other, please specify" and
``q<id>_rank<n>`` for a ranking's n-th choice.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.surveys.models import Question

ORDINALS = (
    _l("1st"),
    _l("2nd"),
    _l("3rd"),
    _l("4th"),
    _l("5th"),
    _l("6th"),
    _l("7th"),
    _l("8th"),
    _l("9th"),
    _l("10th"),
)


def short(text: str, limit: int = 80) -> str:
    """A question's text shortened for messages."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def field_name(question: Question) -> str:
    return f"q{question.id}"


def other_name(question: Question) -> str:
    return f"q{question.id}_other"


def rank_name(question: Question, rank: int) -> str:
    return f"q{question.id}_rank{rank}"
