"""Counts and percentages, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consult.analysis.summary import percent, summarise_question


def test_options_nobody_chose_appear_with_zero() -> None:
    summary = summarise_question(
        "Q", "single_choice", [(1, "Yes"), (2, "No"), (3, "Unsure")], {1: 3, 2: 1}, base=4
    )
    assert [(o.label, o.count, o.percent) for o in summary.options] == [
        ("Yes", 3, 75.0),
        ("No", 1, 25.0),
        ("Unsure", 0, 0.0),
    ]


def test_no_base_means_no_percentage() -> None:
    assert percent(0, 0) is None
    summary = summarise_question("Q", "scale", [(1, "Agree")], {}, base=0)
    assert summary.options[0].percent is None


@pytest.mark.parametrize(("count", "base", "expected"), [(1, 3, 33.3), (2, 3, 66.7), (3, 3, 100.0)])
def test_percent_rounds_to_one_place(count: int, base: int, expected: float) -> None:
    assert percent(count, base) == expected


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8))
def test_single_choice_percentages_add_up_to_about_100(counts: list[int]) -> None:
    base = sum(counts)
    options = [(i, f"option {i}") for i in range(len(counts))]
    summary = summarise_question("Q", "single_choice", options, dict(enumerate(counts)), base)
    if base == 0:
        assert all(o.percent is None for o in summary.options)
    else:
        total = sum(o.percent or 0 for o in summary.options)
        assert abs(total - 100) <= 0.05 * len(counts)
