"""Names shared by the survey form code: form field names, ordinals, short question texts.

Field names: ``q<id>`` for the answer, ``q<id>_other`` for "Other, please specify" and
``q<id>_rank<n>`` for a ranking's n-th choice.
"""

from __future__ import annotations

from consult.surveys.models import Question

ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th")


def short(text: str, limit: int = 80) -> str:
    """A question's text shortened for messages."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def field_name(question: Question) -> str:
    return f"q{question.id}"


def other_name(question: Question) -> str:
    return f"q{question.id}_other"


def rank_name(question: Question, rank: int) -> str:
    return f"q{question.id}_rank{rank}"
