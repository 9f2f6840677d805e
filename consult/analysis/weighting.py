"""Who was heard, and weighting responses to the neighbourhood's population.

Standard survey methods (see the project notes): shares against a population profile,
post-stratification weights w_h = (N_h / N) / (n_h / n), raking (iterative proportional fitting)
with trimmed weights (in ``raking``, and importable from here), Kish's effective sample size and
a 95 % margin of error from it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from consult.analysis.raking import RakingError, rake, rake_groups

__all__ = [
    "GroupRepresentation",
    "collapse_ordered",
    "collapse_unordered",
    "effective_sample_size_of_groups",
    "rake_groups",
    "PostStratification",
    "RakingError",
    "effective_sample_size",
    "margin_of_error",
    "post_stratify",
    "rake",
    "representation",
    "weighted_shares",
    "whole_percent_number",
]

Group = TypeVar("Group", bound=Hashable)
Category = TypeVar("Category", bound=Hashable)


@dataclass(frozen=True)
class GroupRepresentation(Generic[Group]):
    """One group's share of the neighbourhood and of the respondents (both 0 to 1)."""

    group: Group
    population_share: float
    respondent_share: float
    under_represented: bool


def representation(
    population: Mapping[Group, int], respondents: Mapping[Group, int], margin: float = 0.2
) -> list[GroupRepresentation[Group]]:
    """Compare each population group's share of the neighbourhood with its share of respondents.

    A group is under-represented when its respondent share is below (1 - margin) times its
    population share. Groups come in the population's order. Respondents in groups the population
    profile does not have (such as "Prefer not to say") are left out of the respondents' base,
    since the census has nobody to compare them with.
    """
    if not 0 <= margin < 1:
        raise ValueError(f"margin must be from 0 up to 1, not {margin!r}")
    population_total = _positive_total(population, "population")
    answered = {group: respondents.get(group, 0) for group in population}
    respondent_total = sum(_count(value, "respondents") for value in answered.values())
    rows = []
    for group, size in population.items():
        population_share = size / population_total
        respondent_share = answered[group] / respondent_total if respondent_total else 0.0
        rows.append(
            GroupRepresentation(
                group=group,
                population_share=population_share,
                respondent_share=respondent_share,
                under_represented=respondent_share < (1 - margin) * population_share,
            )
        )
    return rows


def whole_percent_number(share: float) -> int:
    """A share (0 to 1) as a whole percentage, halves rounded up (a sliver above 0 gives 0:
    the words for it, "less than 1%", are the reader's language's to give)."""
    # Not round(), which rounds halves to even; and 0.145 * 100 is 14.499999999999998 in binary,
    # so round to a millionth of a percent first to read it as the 14.5 it stands for.
    return math.floor(round(share * 100, 6) + 0.5)


@dataclass(frozen=True)
class PostStratification(Generic[Group]):
    """Weights per population cell.

    ``unweighted`` cells have people but no respondents, so nobody can speak for them; the weighted
    results then describe ``coverage``, the share of the population in the weighted cells.
    ``merged`` lists the groups of cells that were collapsed together (empty when none were).
    """

    weights: dict[Group, float]
    unweighted: tuple[Group, ...]
    coverage: float
    merged: tuple[tuple[Group, ...], ...]


def post_stratify(
    pop_counts: Mapping[Group, int], sample_counts: Mapping[Group, int], min_respondents: int = 0
) -> PostStratification[Group]:
    """Post-stratification weights w_h = (N_h / N) / (n_h / n) for each cell h.

    With ``min_respondents``, cells are first collapsed in the population's order (so list
    ordered categories such as age bands in order): neighbouring cells are merged until each
    merged cell has at least that many respondents, and a short remainder joins the cell before.
    Respondents in a cell the population does not have raise ValueError.
    """
    unknown = [cell for cell in sample_counts if cell not in pop_counts]
    if unknown:
        raise ValueError(f"respondents in cells the population does not have: {unknown!r}")
    population_total = _positive_total(pop_counts, "population")
    sample = {cell: _count(sample_counts.get(cell, 0), "respondents") for cell in pop_counts}
    respondent_total = sum(sample.values())
    strata = collapse_ordered(list(pop_counts), sample, min_respondents)
    weights: dict[Group, float] = {}
    for stratum in strata:
        respondents = sum(sample[cell] for cell in stratum)
        if respondents:
            people = sum(pop_counts[cell] for cell in stratum)
            weight = (people / population_total) / (respondents / respondent_total)
            weights.update(dict.fromkeys(stratum, weight))
    unweighted = tuple(cell for cell in pop_counts if cell not in weights)
    return PostStratification(
        weights=weights,
        unweighted=unweighted,
        coverage=1 - sum(pop_counts[cell] for cell in unweighted) / population_total,
        merged=tuple(stratum for stratum in strata if len(stratum) > 1),
    )


def collapse_ordered(
    cells: list[Group], sample: Mapping[Group, int], min_respondents: int
) -> list[tuple[Group, ...]]:
    """Neighbouring cells merged until each merge has ``min_respondents`` respondents; a short
    remainder joins the merge before it."""
    strata: list[list[Group]] = []
    current: list[Group] = []
    for cell in cells:
        current.append(cell)
        if sum(sample[c] for c in current) >= min_respondents:
            strata.append(current)
            current = []
    if current:
        if strata:
            strata[-1].extend(current)
        else:
            strata.append(current)
    return [tuple(stratum) for stratum in strata]


def collapse_unordered(
    cells: list[Group], sample: Mapping[Group, int], min_respondents: int
) -> list[tuple[Group, ...]]:
    """Cells of an unordered variable (sex, ethnic group) with fewer than ``min_respondents``
    respondents merged into one; if that merge is still short, it joins the smallest other
    cell. Cells keep their order within each merge; merges come in the order of their first
    cell."""
    small = [cell for cell in cells if sample.get(cell, 0) < min_respondents]
    strata = [[cell] for cell in cells if cell not in small]
    if not small:
        return [(cell,) for cell in cells]
    if sum(sample.get(cell, 0) for cell in small) >= min_respondents or not strata:
        strata.append(small)
    else:
        min(strata, key=lambda stratum: sample.get(stratum[0], 0)).extend(small)
    order = {cell: index for index, cell in enumerate(cells)}
    merged = [tuple(sorted(stratum, key=order.__getitem__)) for stratum in strata]
    return sorted(merged, key=lambda stratum: order[stratum[0]])


def effective_sample_size_of_groups(sizes: Sequence[int], weights: Sequence[float]) -> float:
    """Kish's effective sample size when ``sizes[i]`` respondents all have ``weights[i]``."""
    total = sum(size * weight for size, weight in zip(sizes, weights, strict=True))
    squares = sum(size * weight * weight for size, weight in zip(sizes, weights, strict=True))
    return total * total / squares if squares else 0.0


def effective_sample_size(weights: Sequence[float]) -> float:
    """Kish's effective sample size (Σw)² / Σw²: n for equal weights, less the more they vary."""
    if any(weight < 0 for weight in weights):
        raise ValueError("weights cannot be negative")
    squares = sum(weight * weight for weight in weights)
    return sum(weights) ** 2 / squares if squares else 0.0


def margin_of_error(p: float, n_eff: float, z: float = 1.96) -> float:
    """Half-width of the 95 % confidence interval for a proportion p: z · √(p(1 − p) / n_eff)."""
    if not 0 <= p <= 1:
        raise ValueError(f"a proportion must be from 0 to 1, not {p!r}")
    if n_eff <= 0:
        raise ValueError("the effective sample size must be above 0")
    return z * math.sqrt(p * (1 - p) / n_eff)


def weighted_shares(
    values_per_respondent: Sequence[Category | None], weights: Sequence[float]
) -> dict[Category, float]:
    """Each answer's weighted share (0 to 1) of a single-choice question, in order of first answer.

    None means the respondent did not answer; they are left out of the base. Empty when the
    question has no (weighted) answers.
    """
    if len(values_per_respondent) != len(weights):
        raise ValueError("one weight is needed for each respondent")
    totals: dict[Category, float] = {}
    for value, weight in zip(values_per_respondent, weights, strict=True):
        if value is not None:
            totals[value] = totals.get(value, 0.0) + weight
    base = sum(totals.values())
    return {value: total / base for value, total in totals.items()} if base else {}


def _positive_total(counts: Mapping[Group, int], what: str) -> int:
    total = sum(_count(value, what) for value in counts.values())
    if total <= 0:
        raise ValueError(f"the {what} counts add up to nothing")
    return total


def _count(value: int, what: str) -> int:
    if value < 0:
        raise ValueError(f"{what} counts cannot be negative")
    return value
