"""Redirect targets after sign-in stay on the site."""

from __future__ import annotations

import pytest

from consult.core.urls import safe_next


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "http://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "data:text/html,hi",
        "evil.example",
        "/ok\r\nSet-Cookie: x=1",
        "",
        None,
    ],
)
def test_unsafe_targets_are_refused(target: str | None) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/account", "/n/demo/briefings/?page=2"])
def test_paths_on_this_site_are_kept(target: str) -> None:
    assert safe_next(target) == target
