"""The check page's answers are the same markup as GOV.UK's summary list.

``templates/surveys/_answers.html`` writes the summary list directly (the nested
govuk_frontend_jinja macros were most of the page's cost). The answers to a survey of every
kind, with text that needs escaping and a question left unanswered, are drawn both ways and
must match element for element, attribute for attribute and word for word.
"""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string

from consult.surveys.answering import check_all, summary_rows
from consult.surveys.models import Section
from tests.factories import NeighbourhoodFactory, survey_of_every_kind
from tests.web.test_survey_fields import answers, outline

# The check page's answers as they were: one govukSummaryList per section.
GOVUK_REFERENCE = """
{% for section, group in rows | groupby('0.position') %}
  {% set current = group[0][0] %}
  <h2 class="govuk-heading-m">{{ localised(current, 'title') }}</h2>
  {% set items = [] %}
  {% for _position, q, lines in group %}
    {% set value_html %}{% if lines %}{% for line in lines %}{{ line }}{% if not loop.last %}<br>{% endif %}{% endfor %}{% else %}{{ _('Not answered') }}{% endif %}{% endset %}
    {% set _ignored = items.append({'key': {'text': localised(q, 'text')}, 'value': {'html': value_html}, 'actions': {'items': [{'href': section_url(current) ~ '#q' ~ q.id, 'text': _('Change'), 'visuallyHiddenText': _('your answer to %(question)s', question=localised(q, 'text'))}]}}) %}
  {% endfor %}
  {{ govukSummaryList({'rows': items}) }}
{% endfor %}
"""  # noqa: E501
OURS = """{% from "surveys/_answers.html" import answers_summary %}
{{ answers_summary(rows, section_url) }}"""


def section_url(section: Section) -> str:
    return f"/sections/{section.position}?next=check&x=<y>"


@pytest.mark.parametrize("language", ["en", "pl"])
def test_answers_match_the_govuk_summary_list(app: Flask, language: str) -> None:
    survey = survey_of_every_kind(NeighbourhoodFactory())
    formdata = answers(survey, "answered")
    assert formdata is not None
    raw = {name: formdata.getlist(name) for name in formdata if not name.endswith("_rank1")}
    headers = {"Accept-Language": language}
    with app.test_request_context(headers=headers):
        pages, unfinished = check_all(survey, raw)
        assert unfinished is None
        rows = summary_rows(pages)
        ours = outline(render_template_string(OURS, rows=rows, section_url=section_url))
        reference = outline(
            render_template_string(GOVUK_REFERENCE, rows=rows, section_url=section_url)
        )
    assert ours == reference
    words = " ".join(ours)
    assert "Mine &amp; <yours>" not in words and "Mine & <yours>" in words  # escaped once
    assert ("Not answered" in words) == (language == "en")  # the ranking left unanswered
    assert len([part for part in ours if part.startswith("<dl ")]) == len(survey.sections)
