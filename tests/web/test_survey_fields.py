"""The survey page's own field macros write the same markup as the GOV.UK Frontend macros.

``templates/macros/fields.html`` writes GOV.UK markup directly (the nested govuk_frontend_jinja
macros were most of a page's cost). Each question of every kind is drawn both ways, empty,
answered and with errors, and the two must match element for element, attribute for attribute
and word for word.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, render_template_string
from werkzeug.datastructures import MultiDict

from consult.surveys.answering import page_form
from consult.surveys.models import Survey
from consult.surveys.pages import page_items
from tests.factories import NeighbourhoodFactory, survey_of_every_kind

# The question macro as it was, through govuk_frontend_wtf's widgets and the GOV.UK macros.
GOVUK_REFERENCE = Path(__file__).with_name("govuk_question_reference.html").read_text()
OURS = """{% from "surveys/_question.html" import question %}
{% for item in items %}{{ question(item) }}{% endfor %}"""


class Outline(HTMLParser):
    """Elements with their attributes (classes as a set) and the words between them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = sorted(
            (name, " ".join(sorted((value or "").split())) if name == "class" else value)
            for name, value in attrs
        )
        self.parts.append(f"<{tag} {shown}>")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if data.split():
            self.parts.append(" ".join(data.split()))


def outline(html: str) -> list[str]:
    parser = Outline()
    parser.feed(html)
    return parser.parts


def answers(survey: Survey, state: str) -> MultiDict[str, str] | None:
    """Form data for every question: none, good answers, or answers each rule refuses."""
    park, helps, safe, dog, walk, dogs, rank, postcode, years = survey.questions
    other = str(park.options[-1].id)
    if state == "empty":
        return None
    if state == "answered":
        pairs = [
            (f"q{park.id}", other),
            (f"q{park.id}_other", "Mine & <yours>"),
            (f"q{helps.id}", str(helps.options[0].id)),
            (f"q{helps.id}", str(helps.options[1].id)),
            (f"q{safe.id}", str(safe.options[-1].id)),
            (f"q{dog.id}", str(dog.options[0].id)),
            (f"q{walk.id}", 'By the <canal> & "woods"'),
            (f"q{dogs.id}", "2"),
            (f"q{rank.id}_rank1", str(rank.options[1].id)),
            (f"q{postcode.id}", "LS9 7AB"),
            (f"q{years.id}", "2.5"),
        ]
    else:
        pairs = [
            (f"q{park.id}", other),
            (f"q{park.id}_other", "x" * 300),
            *[(f"q{helps.id}", str(o.id)) for o in helps.options],
            (f"q{dog.id}", str(dog.options[0].id)),
            (f"q{walk.id}", "<b>" + "y" * 60),
            (f"q{dogs.id}", "abc"),
            (f"q{rank.id}_rank1", str(rank.options[0].id)),
            (f"q{rank.id}_rank2", str(rank.options[0].id)),
            (f"q{postcode.id}", "nope"),
            (f"q{years.id}", "1e9"),
        ]
    return MultiDict(pairs)


@pytest.mark.parametrize("state", ["empty", "answered", "refused"])
def test_fields_match_the_govuk_macros(app: Flask, state: str) -> None:
    survey = survey_of_every_kind(NeighbourhoodFactory())
    formdata = answers(survey, state)
    with app.test_request_context():
        for section in survey.sections:
            form = page_form(survey, section, {}, formdata, meta={"csrf": False})
            if state == "refused":
                assert not form.validate()
            items = page_items(form)
            ours = outline(render_template_string(OURS, items=items))
            reference = outline(render_template_string(GOVUK_REFERENCE, items=items))
            assert ours == reference, section.title
            assert any("<input" in part or "<select" in part for part in ours)


def test_refused_answers_show_their_errors(app: Flask) -> None:
    """The comparison above sees errors on the page, so it compares error markup too."""
    survey = survey_of_every_kind(NeighbourhoodFactory())
    with app.test_request_context():
        form = page_form(survey, survey.sections[0], {}, answers(survey, "refused"))
        form.validate()
        html: Any = render_template_string(OURS, items=page_items(form))
    assert html.count('class="govuk-error-message"') == 3
    assert "govuk-form-group--error" in html
