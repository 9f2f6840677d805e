"""Raking (iterative proportional fitting): weights that match several population margins at once.

Respondents who share every category (say aged 25–34, female, White British) always end up with
the same weight, so the work is done once per such pattern, not once per respondent: raking a
thousand responses costs no more than raking the few dozen patterns among them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Pattern = tuple[int, ...]
# Type variables, not Hashable itself: Mapping keys are invariant, so a caller's
# dict[str, dict[str, float]] would not be accepted as a Mapping[Hashable, ...].
Variable = TypeVar("Variable", bound=Hashable)
Category = TypeVar("Category", bound=Hashable)


class RakingError(ValueError):
    """Raking cannot match the margins: a category has no respondents, or no trimmed weights fit."""


@dataclass(frozen=True)
class _Problem:
    """A raking problem in numbers: category indices per pattern, respondents per pattern, and
    each variable's target proportions."""

    patterns: list[Pattern]
    sizes: list[int]
    targets: list[list[float]]

    @property
    def respondents(self) -> int:
        return sum(self.sizes)


def rake(
    sample: Sequence[Mapping[Variable, Category]],
    margins: Mapping[Variable, Mapping[Category, float]],
    max_iter: int = 1000,
    tol: float = 1e-6,
    trim: tuple[float, float] | None = (0.2, 5.0),
    sizes: Sequence[int] | None = None,
) -> list[float]:
    """One weight per respondent (mean 1) whose weighted shares match every margin within ``tol``.

    ``sample`` holds each respondent's category for every variable in ``margins``; ``margins``
    gives each variable's population proportions (counts work too: they are scaled to add up
    to 1). Each pass scales the weights to each margin in turn and then trims them to between
    ``trim[0]`` and ``trim[1]`` times the mean, so the next pass rakes the trimmed weights again;
    passes stop once the margins are met and the weights no longer move. Deterministic.

    Raises RakingError when a category with people in it has no respondents (collapse it into a
    neighbour first), or when no trimmed weights meet the margins in ``max_iter`` passes.
    With ``sizes``, ``sample[i]`` stands for ``sizes[i]`` respondents (see :func:`rake_groups`).
    """
    if trim is not None and not 0 < trim[0] <= 1 <= trim[1]:
        raise ValueError(f"trim must be (low, high) with 0 < low <= 1 <= high, not {trim!r}")
    problem = _problem(sample, margins, sizes)
    weights = [1.0] * len(problem.patterns)
    for _ in range(max_iter):
        previous = weights
        weights = _scale_to_margins(problem, weights)
        if trim is not None:
            weights = _trim(problem, weights, trim)
        moved = max(abs(new - old) for new, old in zip(weights, previous, strict=True))
        if moved < tol and _largest_gap(problem, weights) < tol:
            pattern_weight = dict(zip(problem.patterns, weights, strict=True))
            return [pattern_weight[pattern] for pattern in _classify(sample, margins)]
    raise RakingError(
        f"the weights did not meet the margins within {tol} after {max_iter} passes; "
        f"widen the trimming bounds or collapse small categories"
    )


def rake_groups(
    groups: Sequence[tuple[Mapping[Variable, Category], int]],
    margins: Mapping[Variable, Mapping[Category, float]],
    max_iter: int = 1000,
    tol: float = 1e-6,
    trim: tuple[float, float] | None = (0.2, 5.0),
) -> list[float]:
    """:func:`rake` for respondents counted by group: ``groups`` holds (categories, how many
    respondents have them), as a GROUP BY gives them; returns one weight per group. The same
    weights as raking the respondents one by one, without a row per respondent."""
    if any(size < 0 for _, size in groups):
        raise ValueError("a group cannot have fewer than 0 respondents")
    present = [(categories, size) for categories, size in groups if size > 0]
    weights = iter(
        rake(
            [categories for categories, _ in present],
            margins,
            max_iter,
            tol,
            trim,
            sizes=[size for _, size in present],
        )
    )
    return [next(weights) if size > 0 else 0.0 for _, size in groups]


def _problem(
    sample: Sequence[Mapping[Variable, Category]],
    margins: Mapping[Variable, Mapping[Category, float]],
    counts: Sequence[int] | None = None,
) -> _Problem:
    if not sample:
        raise ValueError("raking needs at least one respondent")
    if not margins:
        raise ValueError("raking needs at least one margin")
    sizes: dict[Pattern, int] = {}
    patterns = _classify(sample, margins)
    for pattern, count in zip(patterns, counts or [1] * len(patterns), strict=True):
        sizes[pattern] = sizes.get(pattern, 0) + count
    problem = _Problem(
        patterns=list(sizes),
        sizes=list(sizes.values()),
        targets=[_proportions(variable, margin) for variable, margin in margins.items()],
    )
    _check_every_category_is_reachable(problem, margins)
    return problem


def _classify(
    sample: Sequence[Mapping[Variable, Category]],
    margins: Mapping[Variable, Mapping[Category, float]],
) -> list[Pattern]:
    """Each respondent's pattern: the index of their category in each margin."""
    index = {variable: {c: i for i, c in enumerate(margin)} for variable, margin in margins.items()}
    patterns = []
    for number, respondent in enumerate(sample):
        pattern = []
        for variable, categories in index.items():
            category = respondent.get(variable)
            if category not in categories:
                raise ValueError(
                    f"respondent {number} has {variable!r} = {category!r}, "
                    f"which is not a category of that margin"
                )
            pattern.append(categories[category])
        patterns.append(tuple(pattern))
    return patterns


def _proportions(variable: Hashable, margin: Mapping[Category, float]) -> list[float]:
    if any(value < 0 for value in margin.values()) or sum(margin.values()) <= 0:
        raise ValueError(
            f"the margin for {variable!r} needs proportions >= 0 adding up to more than 0"
        )
    total = sum(margin.values())
    return [value / total for value in margin.values()]


def _check_every_category_is_reachable(
    problem: _Problem, margins: Mapping[Variable, Mapping[Category, float]]
) -> None:
    for position, (variable, margin) in enumerate(margins.items()):
        present = {pattern[position] for pattern in problem.patterns}
        for index, category in enumerate(margin):
            target = problem.targets[position][index]
            if target > 0 and index not in present:
                raise RakingError(
                    f"no respondents have {variable!r} = {category!r}, so nobody can be weighted "
                    f"up to its share: collapse it into a neighbouring category"
                )
            if target == 0 and index in present:
                raise RakingError(
                    f"respondents have {variable!r} = {category!r}, "
                    f"which the margin says nobody in the population has"
                )


def _totals(problem: _Problem, weights: list[float], position: int) -> list[float]:
    """Weighted respondents in each category of one variable."""
    totals = [0.0] * len(problem.targets[position])
    for pattern, size, weight in zip(problem.patterns, problem.sizes, weights, strict=True):
        totals[pattern[position]] += size * weight
    return totals


def _scale_to_margins(problem: _Problem, weights: list[float]) -> list[float]:
    """One raking pass: scale the weights to each variable's margin in turn (mean weight 1)."""
    n = problem.respondents
    for position, targets in enumerate(problem.targets):
        totals = _totals(problem, weights, position)
        # A category with no weighted respondents has a target of 0 (checked up front): no factor.
        factors = [
            target * n / total if total else 0.0
            for target, total in zip(targets, totals, strict=True)
        ]
        weights = [
            weight * factors[pattern[position]]
            for pattern, weight in zip(problem.patterns, weights, strict=True)
        ]
    return weights


def _trim(problem: _Problem, weights: list[float], trim: tuple[float, float]) -> list[float]:
    """Weights clipped to between trim[0] and trim[1] times their mean."""
    mean = sum(s * w for s, w in zip(problem.sizes, weights, strict=True)) / problem.respondents
    low, high = trim[0] * mean, trim[1] * mean
    return [min(max(weight, low), high) for weight in weights]


def _largest_gap(problem: _Problem, weights: list[float]) -> float:
    """The largest difference between a weighted share and its target, over every margin."""
    gaps = []
    for position, targets in enumerate(problem.targets):
        totals = _totals(problem, weights, position)
        base = sum(totals)
        gaps += [abs(total / base - target) for total, target in zip(totals, targets, strict=True)]
    return max(gaps)
