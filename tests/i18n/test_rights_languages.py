"""A resident's rights in their own language: the data and deletion pages, the downloaded
file and the confirmation email, in Polish and Urdu (the JSON file's keys stay the same)."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.core.i18n import COOKIE
from tests.conftest import submit
from tests.idea_factories import resident, sent_mail

IN_LANGUAGE = {
    "pl": {
        "data": ("Pobierz swoje dane", "Pomysły, które dodałeś lub dodałaś"),
        "file": ('<html lang="pl" dir="ltr">', "Twoich odpowiedzi na ankiety nie ma w tym pliku"),
        "delete": ("Gdy usuniesz konto:", "Wyślij mi link do usunięcia konta"),
        "mail": "Potwierdź, że chcesz usunąć konto w consult",
    },
    "ur": {
        "data": ("اپنا ڈیٹا ڈاؤن لوڈ کریں", "آپ کی پیش کی گئی تجاویز"),
        "file": ('<html lang="ur" dir="rtl">', "آپ کے سروے کے جوابات اس فائل میں نہیں ہیں"),
        "delete": ("جب آپ اپنا اکاؤنٹ ختم کریں گے:", "مجھے اکاؤنٹ ختم کرنے کا لنک ای میل کریں"),
        "mail": "تصدیق کریں کہ آپ consult پر اپنا اکاؤنٹ ختم کرنا چاہتے ہیں",
    },
}


@pytest.mark.parametrize("code", ["pl", "ur"])
def test_rights_pages_and_files_are_in_the_residents_language(
    app: Flask, client: FlaskClient, code: str
) -> None:
    expected = IN_LANGUAGE[code]
    resident(app, client)
    client.set_cookie(COOKIE, code)

    page = client.get("/account/data").get_data(as_text=True)
    assert all(text in page for text in expected["data"])
    assert "Download your data" not in page and "Ideas you posted" not in page

    file = client.get("/account/data/download.html").get_data(as_text=True)
    assert all(text in file for text in expected["file"])
    data = json.loads(client.get("/account/data/download.json").get_data(as_text=True))
    assert {"account", "survey_answers", "ideas"} <= data.keys()  # keys are not translated
    assert data["survey_answers"].startswith(expected["file"][1])

    page = client.get("/account/delete").get_data(as_text=True)
    assert all(text in page for text in expected["delete"])
    response = submit(client, "/account/delete", {})
    assert response.status_code == 302
    assert sent_mail(app)[-1].subject == expected["mail"]
