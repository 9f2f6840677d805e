"""Urdu is set in Nastaliq (Noto Nastaliq Urdu), a web font built into static/dist, served by
the app under its Content-Security-Policy, and used by no page that is not in Urdu."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

CSS = Path(__file__).resolve().parents[2] / "static" / "dist" / "app.css"
FAMILY = '"Noto Nastaliq Urdu"'
FONT_FACE = re.compile(r"@font-face\{([^}]*)\}")
RULE = re.compile(r"(?:^|\})([^{}@]+)\{([^{}]*)\}")


def built_css() -> str:
    if not CSS.is_file():
        pytest.fail("static/dist/app.css is missing: run `make assets`")
    return CSS.read_text(encoding="utf-8")


def nastaliq_faces() -> list[str]:
    return [face for face in FONT_FACE.findall(built_css()) if FAMILY in face]


def font_urls() -> list[str]:
    return [url for face in nastaliq_faces() for url in re.findall(r'url\("?([^")]+)"?\)', face)]


def test_the_font_is_woff2_swapped_in_and_only_for_arabic_script() -> None:
    faces = nastaliq_faces()
    assert {re.search(r"font-weight:(\d+)", face).group(1) for face in faces} == {"400", "700"}  # type: ignore[union-attr]
    for face in faces:
        assert "font-display:swap" in face
        assert re.search(r"unicode-range:[^;]*U\+0600-06FF", face)
        assert "U+0000" not in face and "U+0020" not in face  # Latin stays in system fonts
    assert font_urls() and all(
        url.startswith("/static/dist/fonts/") and url.endswith(".woff2") for url in font_urls()
    )


def test_only_pages_in_urdu_use_it_with_room_for_its_tall_letters() -> None:
    """Every rule naming the font starts at ``html:lang(ur)``: an Urdu snippet on another
    page (the switcher's own "اردو") must not make an English or Polish page fetch it."""
    rules = [
        (selectors, body)
        for selectors, body in RULE.findall(built_css())
        if FAMILY in body and "src:" not in body
    ]
    assert rules, "no rule uses the font"
    for selectors, body in rules:
        for selector in selectors.split(","):
            assert selector.strip().startswith("html:lang(ur)"), selector
        assert re.search(r"font-family:\"Noto Nastaliq Urdu\",[^;]*sans-serif", body)
        line_height = re.search(r"line-height:([\d.]+)(?:;|$)", body)
        assert line_height and float(line_height.group(1)) >= 2, "lines too tight for Nastaliq"


def test_the_app_serves_the_font_files_under_its_policy(client: FlaskClient) -> None:
    for url in font_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "font/woff2"
        assert response.data[:4] == b"wOF2"
        response.close()
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "font-src 'self'" in policy.split("; ")


def test_the_font_licence_travels_with_it(client: FlaskClient) -> None:
    response = client.get("/static/dist/fonts/noto-nastaliq-urdu-LICENSE.txt")
    assert response.status_code == 200
    assert b"SIL Open Font License" in response.data
    response.close()
