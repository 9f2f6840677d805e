"""Which language a page is in: the switcher (no JavaScript), Accept-Language, then English."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.core.i18n import COOKIE
from consult.extensions import db
from consult.ideas.models import IdeaCategory
from consult.models import User
from consult.moderation.models import Notification
from consult.moderation.notifications import deliver
from tests.conftest import submit
from tests.factories import NeighbourhoodFactory, staff
from tests.idea_factories import IdeaFactory, ResidentFactory, board, resident, sent_mail

HTML_TAG = re.compile(r"<html[^>]*>")


def html_tag(client: FlaskClient, url: str = "/", **headers: str) -> str:
    page = client.get(url, headers=headers).get_data(as_text=True)
    match = HTML_TAG.search(page)
    assert match, "no <html> element"
    return match.group(0)


def test_english_by_default(client: FlaskClient) -> None:
    assert 'lang="en" dir="ltr"' in html_tag(client)
    assert "Have your say where you live" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "lang", "heading"),
    [
        ("pl-PL,pl;q=0.9,en;q=0.5", 'lang="pl" dir="ltr"', "Zabierz głos tam, gdzie mieszkasz"),
        ("ur-PK, en;q=0.3", 'lang="ur" dir="rtl"', "جہاں آپ رہتے ہیں، وہاں اپنی رائے دیں"),
        ("de-DE,fr;q=0.8", 'lang="en" dir="ltr"', "Have your say where you live"),
        ("en-GB,pl;q=0.9", 'lang="en" dir="ltr"', "Have your say where you live"),
    ],
)
def test_accept_language_picks_a_language_we_have(
    client: FlaskClient, accept: str, lang: str, heading: str
) -> None:
    assert lang in html_tag(client, **{"Accept-Language": accept})
    page = client.get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert heading in page


def test_switcher_links_work_without_javascript_and_are_remembered(client: FlaskClient) -> None:
    NeighbourhoodFactory(slug="hill")
    page = client.get("/n/hill/").get_data(as_text=True)
    # Each language is named in itself and marked up as that language.
    assert re.search(r'<a [^>]*lang="pl"[^>]*hreflang="pl"[^>]*>Polski</a>', page)
    assert re.search(r'<a [^>]*lang="ur" dir="rtl"[^>]*>اردو</a>', page)
    assert re.search(r'<span [^>]*lang="en"[^>]*aria-current="true">English</span>', page)
    link = re.search(r'href="(/language/ur\?next=[^"]+)"', page)
    assert link, "no link to Urdu"
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 302 and response.location == "/n/hill/"
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.value == "ur" and cookie.http_only
    # Remembered on every page, and it wins over the browser's Accept-Language.
    assert 'lang="ur" dir="rtl"' in html_tag(client, "/")
    assert 'lang="ur" dir="rtl"' in html_tag(client, "/", **{"Accept-Language": "pl"})
    client.get("/language/en?next=/")
    assert 'lang="en" dir="ltr"' in html_tag(client, "/", **{"Accept-Language": "pl"})


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_switcher_only_goes_back_to_this_site(client: FlaskClient, target: str) -> None:
    response = client.get("/language/pl", query_string={"next": target})
    assert response.status_code == 302 and response.location == "/"
    assert client.get_cookie(COOKIE).value == "pl"


def test_unknown_language_is_not_found_and_changes_nothing(client: FlaskClient) -> None:
    assert client.get("/language/xx?next=/").status_code == 404
    assert client.get_cookie(COOKIE) is None
    assert client.get("/language/<script>").status_code == 404


def test_a_neighbourhood_offers_only_its_languages(client: FlaskClient) -> None:
    NeighbourhoodFactory(slug="hill", languages="en pl")
    NeighbourhoodFactory(slug="dale")
    page = client.get("/n/hill/").get_data(as_text=True)
    assert ">Polski<" in page and "اردو" not in page
    # Urdu was chosen elsewhere: this neighbourhood falls back to the browser's languages.
    client.get("/language/ur?next=/")
    assert 'lang="pl"' in html_tag(client, "/n/hill/", **{"Accept-Language": "ur, pl;q=0.8"})
    assert 'lang="ur"' in html_tag(client, "/n/dale/")
    assert "اردو" in client.get("/n/dale/").get_data(as_text=True)


def test_polish_idea_board_is_in_polish(client: FlaskClient) -> None:
    area = board()
    category = db.session.scalar(select(IdeaCategory.id))
    IdeaFactory(neighbourhood=area, category_id=category, title="Więcej ławek")
    db.session.commit()
    client.get("/language/pl?next=/")
    page = client.get("/n/hill/ideas/").get_data(as_text=True)
    for polish in ("Pomysły", "Podziel się pomysłem", "1 pomysł", "0 poparć", "Nowy", "Sortuj"):
        assert polish in page, polish
    assert "Share an idea" not in page
    # Dates follow the language too (month names from CLDR).
    assert re.search(
        r"dodano \d{1,2} (stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|"
        r"sierpnia|września|października|listopada|grudnia) \d{4}",
        page,
    )


def test_rejected_form_is_explained_in_the_chosen_language(client: FlaskClient) -> None:
    client.get("/language/pl?next=/")
    response = submit(client, "/sign-in/email", {"email": "not an address"})
    page = response.get_data(as_text=True)
    assert "<title>Błąd:" in page and "Wystąpił problem" in page
    assert "Wpisz adres e-mail w poprawnym formacie" in page
    assert 'value="not an address"' in page


def test_error_pages_follow_the_language(client: FlaskClient) -> None:
    client.get("/language/ur?next=/")
    response = client.get("/n/nowhere/")
    assert response.status_code == 404
    assert "صفحہ نہیں ملا" in response.get_data(as_text=True)


def test_sign_in_email_is_in_the_chosen_language(app: Flask, client: FlaskClient) -> None:
    client.get("/language/pl?next=/")
    submit(client, "/sign-in/email", {"email": "ola@example.org"})
    message = sent_mail(app)[-1]
    assert message.subject == "Twój link do logowania w consult"
    assert "Użyj tego linku, aby zalogować się do consult" in message.body


def test_emails_sent_later_use_the_language_chosen_here(app: Flask, client: FlaskClient) -> None:
    area = board()
    client.get("/language/ur?next=/")
    user = resident(app, client, "urdu@example.org")
    assert db.session.get(User, user.id).locale == "ur"
    idea = IdeaFactory(neighbourhood=area, author_id=user.id, state="pending")
    db.session.commit()
    member = staff(area, "member")
    other = app.test_client()
    submit(other, "/sign-in", {"email": member.email, "password": "correct horse battery staple"})
    response = submit(
        other,
        f"/n/hill/moderation/ideas/{idea.id}",
        {"action": "reject", "reason": "duplicate", "note": ""},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    notification = db.session.scalar(select(Notification))
    assert notification is not None and deliver(notification.id) == "sent"
    message = sent_mail(app)[-1]
    assert message.subject == "آپ کی تجویز یا تبصرہ شائع نہیں ہوا"
    assert "یہی تجویز پہلے سے بورڈ پر موجود ہے" in message.body


def test_switching_language_signed_in_is_kept_for_emails(app: Flask, client: FlaskClient) -> None:
    user = resident(app, client, "sam@example.org")
    assert db.session.get(User, user.id).locale == "en"
    client.get("/language/pl?next=/account")
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "pl"
    assert ResidentFactory().locale is None


def test_admin_chooses_a_neighbourhoods_languages(client: FlaskClient) -> None:
    from consult.models import Neighbourhood
    from tests.conftest import AuthActions
    from tests.factories import UserFactory

    admin = UserFactory(is_admin=True)
    db.session.commit()
    AuthActions(client).sign_in(admin.email)
    data = {"name": "Hill Top", "slug": "hill-top", "languages": ["pl", "xx"]}
    response = submit(client, "/admin/", data)
    page = response.get_data(as_text=True)  # "xx" is not one of ours: refused, answers kept
    assert "There is a problem" in page and 'value="Hill Top"' in page
    assert db.session.scalar(select(Neighbourhood.id)) is None
    response = submit(client, "/admin/", {**data, "languages": ["pl"]})
    assert response.status_code == 302
    area = db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == "hill-top"))
    assert area is not None and area.languages == "en pl"
