"""Numbers sent in forms, addresses and files: only 0-9, never past what a column holds."""

from __future__ import annotations

import pytest

from consult.core.forms import LARGEST_ID, whole_number
from consult.surveys.builder_forms import parse_day


@pytest.mark.parametrize(
    ("raw", "most", "expected"),
    [
        ("0", LARGEST_ID, 0),
        ("42", LARGEST_ID, 42),
        ("007", LARGEST_ID, 7),
        (str(LARGEST_ID), LARGEST_ID, LARGEST_ID),
        (str(LARGEST_ID + 1), LARGEST_ID, None),
        ("9223372036854775808", LARGEST_ID, None),  # SQLite's integer overflows here
        ("9" * 5000, LARGEST_ID, None),  # int() refuses more than 4,300 digits
        ("0" * 5000 + "5", LARGEST_ID, 5),
        ("²", LARGEST_ID, None),  # str.isdigit takes it, int refuses it
        ("١٢", LARGEST_ID, None),  # Arabic-Indic digits: not what anybody's id looks like
        ("", LARGEST_ID, None),
        (" 4", LARGEST_ID, None),
        ("-4", LARGEST_ID, None),
        ("4.0", LARGEST_ID, None),
        ("100", 99, None),
        ("99", 99, 99),
    ],
)
def test_whole_number(raw: str, most: int, expected: int | None) -> None:
    assert whole_number(raw, most) == expected


@pytest.mark.parametrize("text", ["²/3/2027", "1/²/2027", "1/3/" + "2" * 5000, "1/3/١٢"])
def test_a_day_with_odd_digits_is_no_day(text: str) -> None:
    assert parse_day(text) is None


def test_a_real_day_is_read() -> None:
    assert str(parse_day("27/3/2027")) == "2027-03-27"
