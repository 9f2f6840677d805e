"""Counts and percentages for one question's options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int
    percent: float | None


@dataclass(frozen=True)
class QuestionSummary:
    """What one question's answers add up to.

    ``base`` is the number of responses that answered the question: percentages are of them, so a
    multiple-choice question's percentages can add up to more than 100.
    """

    text: str
    kind: str
    base: int
    options: tuple[OptionCount, ...]
    text_answers: int = 0


def percent(count: int, base: int) -> float | None:
    """``count`` as a percentage of ``base`` to one decimal place; None when base is zero."""
    if base <= 0:
        return None
    return round(100.0 * count / base, 1)


def summarise_question(
    text: str,
    kind: str,
    options: Sequence[tuple[int, str]],
    counts: Mapping[int, int],
    base: int,
    text_answers: int = 0,
) -> QuestionSummary:
    """Combine a question's options (in order) with their counts into a summary.

    Options nobody chose appear with a count of zero, so every table has every row.
    """
    rows = tuple(
        OptionCount(
            label=label,
            count=counts.get(option_id, 0),
            percent=percent(counts.get(option_id, 0), base),
        )
        for option_id, label in options
    )
    return QuestionSummary(text=text, kind=kind, base=base, options=rows, text_answers=text_answers)
