"""The words consult writes into surveys are all known to the translator and all translated."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_file

from consult.surveys.default_texts import known_texts
from tests.i18n.catalogues import ROOT, catalogue
from tests.i18n.test_catalogues import TRANSLATED, texts


def marked_texts() -> set[str]:
    """Every string marked with N_ anywhere in consult."""
    found: set[str] = set()
    for path in (ROOT / "consult").rglob("*.py"):
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"N_": None}
        ):
            found.add(str(message))
    return found


def test_every_marked_text_is_one_consult_writes_into_surveys() -> None:
    """N_ marks exactly the texts that translate_defaults translates (one list, not two)."""
    assert known_texts() == marked_texts()
    assert {"About you", "Prefer not to say", "Yes", "No", "Don't know"} <= known_texts()


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_text_consult_writes_into_surveys_is_translated(code: str) -> None:
    translations = catalogue(code)
    problems = []
    for english in sorted(known_texts()):
        message = translations.get(english)
        if message is None or message.fuzzy or not all(texts(message)):
            problems.append(english)
    assert not problems, f"not translated into {code}: {problems}"
