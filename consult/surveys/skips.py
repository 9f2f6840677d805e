"""Skip logic: a section or question is shown only if an earlier answer matches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from consult.surveys.models import Question, Section


@dataclass(frozen=True)
class Condition:
    """ "Show if question ``question_id`` was answered with option ``option_id``" (or always)."""

    question_id: int | None = None
    option_id: int | None = None

    def met(self, choices: Mapping[int, set[int]]) -> bool:
        """Whether the answers so far (chosen option ids by question) meet the condition."""
        if self.question_id is None or self.option_id is None:
            return True
        return self.option_id in choices.get(self.question_id, set())


def condition_of(item: Question | Section) -> Condition:
    return Condition(item.show_if_question_id, item.show_if_option_id)


def depends_on_same_page(question: Question) -> bool:
    """Whether the question's condition is about another question of its own section."""
    if question.show_if_question_id is None:
        return False
    return any(q.id == question.show_if_question_id for q in question.section.questions)
