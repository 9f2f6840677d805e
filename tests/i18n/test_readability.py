"""Plain English: the resident-facing strings read easily (Flesch reading ease)."""

from __future__ import annotations

import pytest

from tests.i18n.catalogues import resident_messages
from tests.i18n.readability import counts, plain_text, reading_ease, score, syllables

# All resident-facing text together, as one reader meets it: "plain English" is 60-70; we aim
# higher, as GOV.UK does. Any one longer message must not be "difficult" (below 50).
FLOOR_OVERALL = 75
FLOOR_EACH = 50
LONG_ENOUGH_TO_JUDGE = 8  # words; Flesch means little for "Sign in"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("idea", 2),
        ("the", 1),
        ("survey", 2),
        ("neighbourhood", 3),
        ("partnership", 3),
        ("anonymous", 4),
        ("questions", 2),
        ("make", 1),
        ("consideration", 5),
    ],
)
def test_syllable_counter(word: str, expected: int) -> None:
    assert syllables(word) == expected


def test_reading_ease_tells_plain_from_hard() -> None:
    assert score("The cat sat on the mat. It was a sunny day.") > 90
    hard = (
        "Notwithstanding the aforementioned considerations, organisational "
        "responsibilities necessitate comprehensive consultation."
    )
    assert score(hard) < 0
    assert plain_text('Sign in with <a href="%(link)s">a link</a>.') == "Sign in with a link."


def english_texts() -> list[str]:
    messages = resident_messages()
    return [plain_text(m if isinstance(m, str) else m[1]) for m in messages]


def test_resident_strings_are_plain_english_overall() -> None:
    totals = [0, 0, 0]
    for text in english_texts():
        for i, value in enumerate(counts(text)):
            totals[i] += value
    assert reading_ease(*totals) >= FLOOR_OVERALL


def test_no_resident_message_is_hard_to_read() -> None:
    hard = []
    for text in english_texts():
        sentences, words, syllable_count = counts(text)
        if words >= LONG_ENOUGH_TO_JUDGE:
            ease = reading_ease(sentences, words, syllable_count)
            if ease < FLOOR_EACH:
                hard.append(f"{ease:.0f}: {text}")
    assert not hard, "rewrite in plainer words:\n" + "\n".join(hard)
