"""Every resident-facing string has a Polish and an Urdu translation that keeps its placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from consult.core.i18n import LANGUAGES, compile_catalogues
from tests.i18n.catalogues import TRANSLATIONS, catalogue, resident_files, resident_messages

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
TAG = re.compile(r"</?[a-z]+")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def texts(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_the_resident_list_names_files_that_exist() -> None:
    root = TRANSLATIONS.parent
    missing = [name for name in resident_files() if not (root / name).is_file()]
    assert not missing, missing
    assert len(resident_messages()) > 250


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_resident_string_is_translated(code: str) -> None:
    translations = catalogue(code)
    problems = []
    for msgid, source in resident_messages().items():
        message = translations.get(msgid)
        if message is None:
            problems.append(f"{source}: not in the {code} catalogue (run make translations)")
        elif message.fuzzy:
            problems.append(f"{source}: fuzzy in {code}: {msgid!r}")
        elif not all(texts(message)):
            problems.append(f"{source}: no {code} translation for {msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_placeholders_and_markup(code: str) -> None:
    problems = []
    for message in catalogue(code):
        if not message.id or not any(texts(message)):
            continue
        source = message.id if isinstance(message.id, str) else message.id[1]
        for text in texts(message):
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"placeholders differ: {text!r}")
            if sorted(TAG.findall(text)) != sorted(TAG.findall(source)):
                problems.append(f"markup differs: {text!r}")
    assert not problems, "\n".join(problems)


def test_urdu_is_written_in_urdu_script() -> None:
    latin_only = [
        message.id
        for message in catalogue("ur")
        if message.id and any(texts(message)) and not ARABIC_SCRIPT.search(texts(message)[0])
    ]
    assert not latin_only, latin_only


def test_polish_plurals_have_three_forms() -> None:
    polish = catalogue("pl")
    assert polish.num_plurals == 3
    ideas = polish.get(("%(number)s idea", "%(number)s ideas"))
    assert ideas is not None and ideas.string == (
        "%(number)s pomysł",
        "%(number)s pomysły",
        "%(number)s pomysłów",
    )


def test_stale_catalogues_are_compiled(tmp_path: Path) -> None:
    folder = tmp_path / "pl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "messages.po"
    po.write_bytes((TRANSLATIONS / "pl" / "LC_MESSAGES" / "messages.po").read_bytes())
    assert compile_catalogues(tmp_path) == [folder / "messages.mo"]
    assert compile_catalogues(tmp_path) == []  # up to date: nothing to do
