"""Fuzz: hypothesis-made form data posted to every form, as several kinds of person.

Whatever arrives, the answer is never a server error, and a form shown again always carries
the error summary that says what to fix.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_from
from tests.security.conftest import World, build_url, client_for, routes
from tests.security.policy import CSRF_EXEMPT

FIELD_NAME = re.compile(r'name="([^"]+)"')
SKIP = {"auth.sign_out"} | CSRF_EXEMPT  # sign-out takes no data; exempt routes have no form

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "999999999999999999999", "\x00",
                     "<script>alert(1)</script>", "' OR 1=1 --", "x" * 5000, "ß\u202e\ufeff"]),
)  # fmt: skip


def form_fields(client: FlaskClient, url: str) -> list[str]:
    page = client.get(url)
    if page.status_code != 200:
        return []
    names = FIELD_NAME.findall(page.get_data(as_text=True))
    return sorted({n for n in names if n != "csrf_token"})


@pytest.mark.parametrize("person", ["anonymous", "member_a", "admin"])
def test_any_form_data_gets_an_answer_never_an_error(app: Flask, world: World, person: str) -> None:
    app.config.update(SIGN_IN_RATE_LIMIT="10000 per minute", SUBMIT_RATE_LIMIT="10000 per minute")
    client = client_for(app, person, world)
    targets = []
    for endpoint, rule, methods in routes(app):
        if "POST" in methods and endpoint not in SKIP:
            url = build_url(rule, world.values)
            targets.append((url, form_fields(client, url) if "GET" in methods else []))
    assert targets

    token_page = "/sign-in" if person == "anonymous" else "/account"
    token = csrf_from(client.get(token_page).get_data(as_text=True))

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def post_anything(data: st.DataObject) -> None:
        url, fields = data.draw(st.sampled_from(targets))
        keys = st.sampled_from(fields) if fields else st.text(min_size=1, max_size=10)
        values = st.one_of(nasty_text, st.lists(nasty_text, max_size=4))
        form = data.draw(st.dictionaries(keys, values))
        response = client.post(url, data={**form, "csrf_token": token})
        assert response.status_code < 500, f"{url} answered {response.status_code} to {form!r}"
        if response.status_code == 200 and "<form" in response.get_data(as_text=True):
            page = response.get_data(as_text=True)
            # A preview of unsaved changes (the notices) shows the form again on purpose,
            # saying so above it.
            said = ("There is a problem", "govuk-panel", 'class="consult-preview"')
            assert any(marker in page for marker in said), (
                f"{url} showed a form again without saying what was wrong, for {form!r}"
            )

    post_anything()
