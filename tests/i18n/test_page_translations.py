"""Pages translate their texts through gettext functions bound once per rendering.

consult.core.i18n.page_translations gives each rendered page its own ``gettext`` and
``ngettext``; they must behave exactly as Jinja's "newstyle" ones that Flask-Babel installs
(which imported macros still use): translated, escaped, formatted, and in the language of the
page being drawn, including one drawn in another language inside the same request (an email).
"""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import force_locale

PAGE = """{{ _('Section %(number)s of %(total)s', number='<1>', total=3) }}|\
{{ ngettext('%(num)d response', '%(num)d responses', n) }}|\
{% trans %}Not answered{% endtrans %}|{{ _('<b>%(x)s</b>', x='&') }}|{{ _('Back') }}"""


def rendered(app: Flask, language: str, n: int = 1) -> list[str]:
    with app.test_request_context(), force_locale(language):
        return str(render_template_string(PAGE, n=n)).split("|")


def through_flask_babel(app: Flask, language: str, n: int = 1) -> list[str]:
    """The same texts through the environment's own (Flask-Babel's) gettext functions."""
    with app.test_request_context(), force_locale(language):
        return str(app.jinja_env.from_string(PAGE).render(n=n)).split("|")


def test_each_page_has_its_own_gettext(app: Flask) -> None:
    installed = app.jinja_env.globals["gettext"]
    with app.test_request_context():
        page = render_template_string("{{ gettext is sameas installed }}", installed=installed)
    assert page == "False"


def test_the_same_texts_as_flask_babels(app: Flask) -> None:
    for language in ("en", "pl", "ur"):
        for n in (1, 2, 5):
            assert rendered(app, language, n) == through_flask_babel(app, language, n)


def test_translated_escaped_and_formatted(app: Flask) -> None:
    english, polish = rendered(app, "en"), rendered(app, "pl", 2)
    assert english[0] == "Section &lt;1&gt; of 3" and polish[0] == "Część &lt;1&gt; z 3"
    assert english[1] == "1 response"
    assert english[2] == "Not answered" and polish[2] == "Bez odpowiedzi"
    assert english[3] == "<b>&amp;</b>"  # the message is markup, its values are not


def test_an_email_in_another_language_within_a_page(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        page = render_template_string("{{ _('Back') }}")
        with force_locale("pl"):
            email = render_template_string("{{ _('Back') }}")
        again = render_template_string("{{ _('Back') }}")
    assert page == again == "Back" and email != "Back"
