"""Who was heard, post-stratification, raking, effective sample size and margins of error."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis.weighting import (
    RakingError,
    effective_sample_size,
    margin_of_error,
    post_stratify,
    rake,
    representation,
    weighted_shares,
    whole_percent_number,
)

Respondent = dict[str, str]


def respondents(counts: Mapping[tuple[str, str], int]) -> list[Respondent]:
    """A sample with ``counts`` respondents in each (age, sex) pattern, in order."""
    return [{"age": age, "sex": sex} for (age, sex), n in counts.items() for _ in range(n)]


def weighted_margin(sample: Sequence[Respondent], weights: Sequence[float], variable: str) -> dict:
    return weighted_shares([respondent[variable] for respondent in sample], weights)


# --- who was heard ------------------------------------------------------------------------------


def test_a_group_with_too_few_respondents_is_flagged() -> None:
    population = {"16-24": 140, "25-64": 600, "65+": 260}
    heard = {"16-24": 4, "25-64": 60, "65+": 36, "Prefer not to say": 7}
    rows = representation(population, heard)
    assert [row.group for row in rows] == ["16-24", "25-64", "65+"]
    young, middle, older = rows
    assert young.population_share == pytest.approx(0.14)
    assert young.respondent_share == pytest.approx(0.04)  # of the 100 who gave an age band
    assert young.under_represented
    assert not middle.under_represented  # 60 % of respondents against 60 % of people
    assert not older.under_represented  # 36 % against 26 %: over, not under


def test_the_margin_is_relative_to_the_population_share() -> None:
    population = {"A": 50, "B": 50}
    # 41 % against 50 % is within 20 % (the line is 40 %); 39 % is not.
    assert not representation(population, {"A": 41, "B": 59})[0].under_represented
    assert representation(population, {"A": 39, "B": 61})[0].under_represented
    assert not representation(population, {"A": 39, "B": 61}, margin=0.25)[0].under_represented


def test_with_no_respondents_every_group_is_under_represented() -> None:
    rows = representation({"A": 10, "B": 0}, {})
    assert [(row.respondent_share, row.under_represented) for row in rows] == [
        (0.0, True),
        (0.0, False),
    ]


@pytest.mark.parametrize(
    ("population", "heard", "margin"),
    [({}, {}, 0.2), ({"A": 0}, {}, 0.2), ({"A": 5}, {"A": -1}, 0.2), ({"A": 5}, {}, 1.0)],
)
def test_representation_refuses_nonsense(
    population: dict[str, int], heard: dict[str, int], margin: float
) -> None:
    with pytest.raises(ValueError):
        representation(population, heard, margin)


@pytest.mark.parametrize(
    ("share", "number"),
    [(0.0, 0), (0.004, 0), (0.005, 1), (0.145, 15), (0.125, 13), (1, 100)],
)
def test_whole_percent_rounds_halves_up(share: float, number: int) -> None:
    assert whole_percent_number(share) == number


# --- post-stratification ------------------------------------------------------------------------


def test_post_stratification_weights_by_hand() -> None:
    result = post_stratify({"young": 200, "old": 800}, {"young": 10, "old": 90})
    # young: (200/1000) / (10/100) = 2; old: (800/1000) / (90/100) = 0.888...
    assert result.weights == pytest.approx({"young": 2.0, "old": 8 / 9})
    assert result.unweighted == ()
    assert result.coverage == 1.0
    assert result.merged == ()
    # The weighted respondents add back up to the sample size.
    assert 10 * result.weights["young"] + 90 * result.weights["old"] == pytest.approx(100)


def test_a_cell_with_no_respondents_is_reported_not_weighted() -> None:
    result = post_stratify({"16-24": 100, "25-64": 600, "65+": 300}, {"25-64": 30, "65+": 20})
    assert result.unweighted == ("16-24",)
    assert result.coverage == pytest.approx(0.9)
    assert result.weights == pytest.approx({"25-64": 0.6 / 0.6, "65+": 0.3 / 0.4})


def test_small_cells_are_collapsed_with_their_neighbours_in_order() -> None:
    population = {"16-24": 100, "25-34": 150, "35-64": 450, "65-74": 200, "75+": 100}
    sample = {"16-24": 1, "25-34": 4, "35-64": 60, "65-74": 30, "75+": 3}
    result = post_stratify(population, sample, min_respondents=5)
    # 16-24 has too few, so it takes in 25-34; 75+ is a short remainder and joins 65-74.
    assert result.merged == (("16-24", "25-34"), ("65-74", "75+"))
    assert result.weights["16-24"] == result.weights["25-34"] == pytest.approx(0.25 / (5 / 98))
    assert result.weights["35-64"] == pytest.approx(0.45 / (60 / 98))
    assert result.weights["75+"] == pytest.approx(0.3 / (33 / 98))
    assert result.unweighted == ()


def test_collapsing_absorbs_an_empty_cell() -> None:
    result = post_stratify({"A": 10, "B": 10, "C": 10}, {"A": 0, "B": 6, "C": 6}, 5)
    assert result.merged == (("A", "B"),)
    assert result.unweighted == ()


def test_respondents_outside_the_population_are_refused() -> None:
    with pytest.raises(ValueError, match="Prefer not to say"):
        post_stratify({"A": 10}, {"A": 3, "Prefer not to say": 2})


# --- raking -------------------------------------------------------------------------------------


def test_raking_one_margin_is_post_stratification() -> None:
    sample = [{"sex": "f"}] * 3 + [{"sex": "m"}]
    weights = rake(sample, {"sex": {"f": 0.5, "m": 0.5}})
    assert weights == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2.0])


def test_raking_two_margins_meets_both() -> None:
    sample = respondents({("young", "f"): 6, ("young", "m"): 1, ("old", "f"): 40, ("old", "m"): 33})
    margins = {"age": {"young": 0.25, "old": 0.75}, "sex": {"f": 0.5, "m": 0.5}}
    weights = rake(sample, margins)
    assert sum(weights) == pytest.approx(len(sample))
    assert weighted_margin(sample, weights, "age") == pytest.approx(margins["age"], abs=1e-6)
    assert weighted_margin(sample, weights, "sex") == pytest.approx(margins["sex"], abs=1e-6)
    # The lone young man carries the most weight, and everyone in a pattern weighs the same.
    assert max(weights) == weights[6]
    assert len(set(weights[:6])) == 1


def test_trimming_bounds_hold_and_the_margins_are_still_met() -> None:
    sample = respondents({("young", "f"): 6, ("young", "m"): 1, ("old", "f"): 40, ("old", "m"): 33})
    margins = {"age": {"young": 0.25, "old": 0.75}, "sex": {"f": 0.5, "m": 0.5}}
    assert max(rake(sample, margins, trim=None)) > 4  # untrimmed, one weight is over 4
    weights = rake(sample, margins, trim=(0.3, 3.0))
    mean = sum(weights) / len(weights)
    assert max(weights) == pytest.approx(3.0 * mean)
    assert min(weights) >= 0.3 * mean
    assert weighted_margin(sample, weights, "age") == pytest.approx(margins["age"], abs=1e-6)
    assert weighted_margin(sample, weights, "sex") == pytest.approx(margins["sex"], abs=1e-6)


def test_margins_that_trimmed_weights_cannot_reach_raise_a_clear_error() -> None:
    sample = respondents({("young", "f"): 6, ("young", "m"): 1, ("old", "f"): 40, ("old", "m"): 33})
    margins = {"age": {"young": 0.25, "old": 0.75}, "sex": {"f": 0.5, "m": 0.5}}
    # 7 of 80 respondents standing for 25 % needs weights near 2.9 times the mean.
    with pytest.raises(RakingError, match="trimming bounds"):
        rake(sample, margins, trim=(0.5, 2.0))


def test_a_margin_category_with_no_respondents_raises_a_clear_error() -> None:
    sample = [{"age": "25-64"}, {"age": "65+"}]
    with pytest.raises(RakingError, match="no respondents have 'age' = '16-24'"):
        rake(sample, {"age": {"16-24": 0.2, "25-64": 0.5, "65+": 0.3}})


def test_a_category_nobody_has_may_be_empty() -> None:
    sample = [{"age": "25-64"}, {"age": "65+"}]
    assert rake(sample, {"age": {"16-24": 0, "25-64": 50, "65+": 50}}) == [1.0, 1.0]


@pytest.mark.parametrize(
    ("sample", "margins", "message"),
    [
        ([], {"sex": {"f": 1}}, "at least one respondent"),
        ([{"sex": "f"}], {}, "at least one margin"),
        ([{"age": "16-24"}], {"sex": {"f": 1}}, "respondent 0 has 'sex' = None"),
        ([{"sex": "x"}], {"sex": {"f": 1}}, "not a category"),
        ([{"sex": "f"}], {"sex": {"f": 0, "m": 0}}, "adding up to more than 0"),
        ([{"sex": "f"}, {"sex": "m"}], {"sex": {"f": 1, "m": 0}}, "nobody in the population"),
    ],
)
def test_raking_refuses_bad_input(sample: list[Respondent], margins: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rake(sample, margins)


def test_bad_trimming_bounds_are_refused() -> None:
    with pytest.raises(ValueError, match="trim"):
        rake([{"sex": "f"}], {"sex": {"f": 1}}, trim=(2.0, 5.0))


@st.composite
def feasible_problems(draw: st.DrawFn) -> tuple[list[Respondent], dict]:
    """A random sample and margins that some positive weights are known to meet: the weighted
    shares of the sample under random weights from 0.5 to 2."""
    shape = {"age": ["16-24", "25-64", "65+"], "sex": ["f", "m"], "tenure": ["own", "rent"]}
    one = st.tuples(*(st.sampled_from(categories) for categories in shape.values()))
    rows = draw(st.lists(one, min_size=2, max_size=60))
    sample: list[Respondent] = [dict(zip(shape, row, strict=True)) for row in rows]
    hidden_weights = draw(st.lists(st.floats(0.5, 2.0), min_size=len(rows), max_size=len(rows)))
    margins = {
        variable: weighted_shares([r[variable] for r in sample], hidden_weights)
        for variable in shape
    }
    return sample, margins


@settings(deadline=None, max_examples=60)
@given(feasible_problems())
def test_raking_meets_feasible_margins_with_positive_weights(
    problem: tuple[list[Respondent], dict],
) -> None:
    sample, margins = problem
    weights = rake(sample, margins, trim=None)
    assert all(weight > 0 for weight in weights)
    for variable, margin in margins.items():
        assert weighted_margin(sample, weights, variable) == pytest.approx(margin, abs=1e-5)
    assert rake(sample, margins, trim=None) == weights


@settings(deadline=None, max_examples=60)
@given(feasible_problems())
def test_trimmed_raking_either_meets_margins_within_bounds_or_says_it_cannot(
    problem: tuple[list[Respondent], dict],
) -> None:
    sample, margins = problem
    try:
        weights = rake(sample, margins, trim=(0.5, 1.5))
    except RakingError:
        return
    mean = sum(weights) / len(weights)
    assert all(0.5 * mean * (1 - 1e-5) <= w <= 1.5 * mean * (1 + 1e-5) for w in weights)
    for variable, margin in margins.items():
        assert weighted_margin(sample, weights, variable) == pytest.approx(margin, abs=1e-5)


# --- effective sample size, margin of error, weighted shares ------------------------------------


@given(st.integers(min_value=1, max_value=500), st.floats(min_value=0.01, max_value=100))
def test_equal_weights_keep_every_respondent(n: int, weight: float) -> None:
    assert effective_sample_size([weight] * n) == pytest.approx(n)


def test_effective_sample_size_by_hand() -> None:
    assert effective_sample_size([1.0, 2.0, 3.0]) == pytest.approx(36 / 14)
    assert effective_sample_size([2.0, 2.0, 0.0, 0.0]) == pytest.approx(2.0)
    assert effective_sample_size([]) == 0.0
    with pytest.raises(ValueError):
        effective_sample_size([1.0, -1.0])


@given(st.lists(st.floats(min_value=0.01, max_value=100), min_size=1, max_size=50))
def test_unequal_weights_never_add_respondents(weights: list[float]) -> None:
    assert 1 - 1e-9 <= effective_sample_size(weights) <= len(weights) * (1 + 1e-9)


def test_margin_of_error_by_hand() -> None:
    assert margin_of_error(0.5, 100) == pytest.approx(0.098)
    assert margin_of_error(0.2, 400) == pytest.approx(1.96 * math.sqrt(0.16 / 400))
    assert margin_of_error(0.0, 10) == 0.0
    with pytest.raises(ValueError):
        margin_of_error(1.5, 10)
    with pytest.raises(ValueError):
        margin_of_error(0.5, 0)


def test_weighted_shares_leave_out_people_who_did_not_answer() -> None:
    shares = weighted_shares(["Yes", "No", None, "Yes"], [1.0, 2.0, 5.0, 1.0])
    assert shares == pytest.approx({"Yes": 0.5, "No": 0.5})
    assert list(shares) == ["Yes", "No"]
    assert weighted_shares([None], [1.0]) == {}
    with pytest.raises(ValueError):
        weighted_shares(["Yes"], [1.0, 2.0])


def test_raking_a_slow_feasible_problem_converges() -> None:
    """Hypothesis found margins (made from real weights) that iterative proportional fitting
    meets only after more than 100 passes: the one over-65, a man who rents, pins the rest."""
    rows = [("16-24", "f", "own")] * 5 + [
        ("16-24", "f", "rent"),
        ("25-64", "f", "rent"),
        ("25-64", "m", "own"),
        ("65+", "m", "rent"),
    ]
    sample: list[Respondent] = [
        {"age": age, "sex": sex, "tenure": tenure} for age, sex, tenure in rows
    ]
    margins = {
        "age": {"16-24": 11 / 15, "25-64": 2 / 15, "65+": 2 / 15},
        "sex": {"f": 0.8, "m": 0.2},
        "tenure": {"own": 11 / 15, "rent": 4 / 15},
    }
    with pytest.raises(RakingError):
        rake(sample, margins, trim=None, max_iter=100)
    weights = rake(sample, margins, trim=None)
    for variable, margin in margins.items():
        assert weighted_margin(sample, weights, variable) == pytest.approx(margin, abs=1e-5)
