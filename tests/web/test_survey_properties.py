"""Property: whatever a page receives, it either moves on (keeping only that page's answers)
or shows the page again with its problems; never a server error."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from consult.extensions import db
from consult.surveys.kinds import field_names
from consult.surveys.models import Draft
from tests.conftest import csrf_from
from tests.factories import NeighbourhoodFactory, survey_of_every_kind

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


def values_for(option_ids: list[int]) -> st.SearchStrategy[list[str]]:
    one = st.one_of(
        st.sampled_from([str(i) for i in option_ids]),
        st.integers(min_value=-5, max_value=10**12).map(str),
        st.sampled_from(["", "1.5", "1e400", "NaN", "LS9 7AB", "<script>x</script>", "\x00"]),
        TEXT,
    )
    return st.lists(one, max_size=4)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_form_data_moves_on_or_shows_errors(
    app: Flask, client: FlaskClient, data: st.DataObject
) -> None:
    # One client for every example: the fixture's app context (and so Flask-WTF's cached
    # token in ``g``) outlives each request, so a second client would have no CSRF session.
    app.config["SUBMIT_RATE_LIMIT"] = "100000 per minute"
    survey = survey_of_every_kind(NeighbourhoodFactory())
    base = f"/n/{survey.neighbourhood.slug}/surveys/{survey.id}"
    option_ids = [o.id for q in survey.questions for o in q.options]
    names = [name for q in survey.questions for name in field_names(q)]
    number = data.draw(st.integers(min_value=1, max_value=3), label="section")
    form: dict[str, Any] = data.draw(
        st.dictionaries(
            st.one_of(st.sampled_from(names), st.sampled_from(["q999999", "submit", "x"])),
            values_for(option_ids),
            max_size=12,
        ),
        label="form",
    )
    url = f"{base}/sections/{number}"
    token = csrf_from(client.get(url, follow_redirects=True).get_data(as_text=True))
    response = client.post(url, data={**form, "csrf_token": token})
    assert response.status_code in (200, 302), response.status_code
    draft = db.session.scalar(select(Draft).where(Draft.survey_id == survey.id))
    if response.status_code == 200:
        assert "There is a problem" in response.get_data(as_text=True)
        assert draft is None
    elif draft is None:
        # The dogs section is skipped until "Yes" to having a dog: it passes the resident on.
        assert number == 2 and response.headers["Location"].endswith("/sections/3")
    else:
        allowed = {n for q in survey.sections[number - 1].questions for n in field_names(q)}
        assert set(draft.answers) <= allowed
        # The check page either lists the answers or sends the resident to a page to finish.
        check = client.get(f"{base}/check")
        assert check.status_code in (200, 302)
