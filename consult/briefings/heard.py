"""Who was heard: respondents by age band, sex and ethnic group against the population profile,
the groups under-represented, and (with a profile) results weighted to the population.

Respondents are counted from the "About you" answers already counted for the survey's tables,
and shown only as far as those questions' own published tables show them. Weighting rakes the
respondents who gave every weighted answer to the profile's margins, counted by pattern with one
GROUP BY, after merging categories with fewer than ``MIN_CELL`` respondents; weights are trimmed
to between 0.2 and 5 times their mean. A weighted share is shown only for an answer whose count
is shown, as a whole percentage (the rule in :mod:`consult.analysis.disclosure`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from consult.analysis.disclosure import Cell, whole_share
from consult.analysis.weighting import (
    collapse_ordered,
    collapse_unordered,
    effective_sample_size_of_groups,
    rake_groups,
    representation,
)
from consult.briefings import crosstabs
from consult.briefings.aggregation import Window
from consult.briefings.breakdowns import ONE_ANSWER_KINDS, breakdown_candidates
from consult.briefings.population import CENSUS_CATEGORIES, Profile
from consult.briefings.published import cell
from consult.surveys.demographics import census_category
from consult.surveys.models import Question, Survey

# A group is under-represented when its share of respondents is below (1 - MARGIN) times its
# share of the population.
MARGIN = 0.2
MIN_CELL = 5
TRIM = (0.2, 5.0)
Content = dict[str, Any]


def respondents(question: Question, counts: Mapping[int, int], variable: str) -> dict[str, int]:
    """{Census category: respondents} from a demographic question's option counts."""
    found = dict.fromkeys(CENSUS_CATEGORIES[variable], 0)
    for option in question.options:
        category = census_category(variable, option.label)
        if category in found:
            found[category] += counts.get(option.id, 0)
    return found


def published_groups(
    question: Question, published: Content, counts: Mapping[str, int], variable: str
) -> tuple[dict[str, Cell], Cell]:
    """Each Census category's respondents, and their total, as the "About you" question's own
    published table allows: a category is shown only when every answer counted in it is shown
    there, and the total only when the question's base and its other answers ("Prefer not to
    say") are. So "who was heard" gives away nothing that table hides, whatever it hid as
    complements: two tables suppressed apart could each hide a different partner of the same
    small number, and together give it back."""
    shown = {o["id"]: o["count"] is not None for o in published["options"]}
    visible = dict.fromkeys(counts, True)
    others_shown = published["base"]["count"] is not None
    for option in question.options:
        category = census_category(variable, option.label)
        if category in visible:
            visible[category] = visible[category] and shown.get(option.id, False)
        else:
            others_shown = others_shown and shown.get(option.id, False)
    cells = {c: Cell.visible(n) if visible[c] else Cell.hidden() for c, n in counts.items()}
    total = sum(counts.values())
    return cells, Cell.visible(total) if others_shown else Cell.hidden()


def group_table(
    variable: str,
    counts: Mapping[str, int],
    published: tuple[Mapping[str, Cell], Cell],
    population: Mapping[str, int] | None,
) -> Content:
    """One variable's respondents (as published, see :func:`published_groups`) beside the
    population's shares, and a sentence for each under-represented group."""
    cells, total_cell = published
    total = total_cell.count if not total_cell.suppressed else None
    people = sum(population.values()) if population else 0
    rows = []
    for category, value in cells.items():
        shown = total is not None and not value.suppressed and value.count
        rows.append(
            {
                "category": category,
                "respondents": cell(value),
                "percent": whole_share((value.count or 0) / total) if shown and total else None,
                "population_percent": (
                    whole_share(population.get(category, 0) / people) if population else None
                ),
            }
        )
    return {
        "variable": variable,
        "total": cell(total_cell),
        "rows": rows,
        "under": under_represented(variable, counts, population, cells, total)
        if people and sum(counts.values())
        else [],
    }


def under_represented(
    variable: str,
    counts: Mapping[str, int],
    population: Mapping[str, int] | None,
    cells: Mapping[str, Cell],
    total: int | None,
) -> list[Content]:
    """A record for each group whose share of respondents falls short of its share of the
    population by more than the margin (worded by :mod:`consult.briefings.wording`); the
    respondents' share is given only when their count and the total are shown, so no hidden
    count is given away as a share."""
    records = []
    for row in representation(population or {}, counts, MARGIN):
        if not row.under_represented:
            continue
        hidden = cells[row.group].suppressed or total is None
        records.append(
            {
                "say": "under_represented",
                "variable": variable,
                "category": row.group,
                "population": round(row.population_share, 6),
                "respondents": None if hidden else round(row.respondent_share, 6),
            }
        )
    return records


def who_was_heard(
    demographics: Mapping[str, Question],
    option_counts: Mapping[int, Mapping[int, int]],
    questions: Sequence[Content],
    profile: Profile,
) -> Content | None:
    """The "who was heard" part of one survey's section, from the "About you" questions'
    counts and their published tables (``questions``); None without "About you" questions."""
    variables = [v for v in CENSUS_CATEGORIES if v in demographics]
    if not variables:
        return None
    published = {q["id"]: q for q in questions}
    tables = []
    for variable in variables:
        question = demographics[variable]
        counts = respondents(question, option_counts.get(question.id, {}), variable)
        shown = published_groups(question, published[question.id], counts, variable)
        tables.append(group_table(variable, counts, shown, profile.get(variable)))
    return {"groups": tables, "under": [line for t in tables for line in t["under"]]}


def add_weighting(
    survey: Survey,
    window: Window,
    demographics: Mapping[str, Question],
    questions: Sequence[Content],
    profile: Profile,
    k: int,
) -> Content | None:
    """Weight the survey's one-answer questions to the profile, in place (each question's
    ``weighted``: a whole percentage per option, or None), and describe the weighting."""
    variables = [
        v for v in CENSUS_CATEGORIES if v in demographics and any(profile.get(v, {}).values())
    ]
    if not variables:
        return None
    question_ids = [demographics[v].id for v in variables]
    categories = [_categories(demographics[v], v) for v in variables]
    groups: dict[tuple[str, ...], int] = {}
    for options, size in crosstabs.patterns(window, question_ids).items():
        pattern = _pattern(categories, options)
        if pattern is not None:
            groups[pattern] = groups.get(pattern, 0) + size
    if sum(groups.values()) < k:
        return {"shown": False, "variables": variables}
    try:
        weights = _rake(variables, groups, profile)
    except ValueError:  # RakingError, or a category the profile does not count
        return {"shown": False, "variables": variables}
    sizes = list(groups.values())
    n_eff = effective_sample_size_of_groups(sizes, list(weights.values()))
    published = {q["id"]: q for q in questions}
    # Weighting does not depend on which questions members chose to break down.
    targets = [
        q.id
        for q in breakdown_candidates(survey)
        if q.question_kind in ONE_ANSWER_KINDS and q.id in published
    ]
    by_pattern = crosstabs.answers_by_pattern(window, question_ids, targets)
    for question_id in targets:
        totals = _weighted_totals(by_pattern.get(question_id, {}), categories, weights)
        published[question_id]["weighted"] = _weighted_options(published[question_id], totals, k)
    return {"shown": True, "variables": variables, "effective_sample_size": round(n_eff)}


def _categories(question: Question, variable: str) -> dict[int, str | None]:
    return {o.id: census_category(variable, o.label) for o in question.options}


def _pattern(
    categories: Sequence[Mapping[int, str | None]], options: Sequence[int]
) -> tuple[str, ...] | None:
    """A respondent's Census categories from their options; None if any is not stated."""
    found = [cats.get(option) for cats, option in zip(categories, options, strict=True)]
    return None if None in found else tuple(str(category) for category in found)


def _rake(
    variables: Sequence[str], groups: Mapping[tuple[str, ...], int], profile: Profile
) -> dict[tuple[str, ...], float]:
    """{pattern of categories: weight}, raked to the profile after merging small categories."""
    merged: list[dict[str, tuple[str, ...]]] = []
    margins: dict[str, dict[tuple[str, ...], float]] = {}
    for index, variable in enumerate(variables):
        population = profile[variable]
        cells = [c for c in CENSUS_CATEGORIES[variable] if c in population]
        counts = {c: 0 for c in cells}
        for pattern, size in groups.items():
            if pattern[index] in counts:
                counts[pattern[index]] += size
        collapse = collapse_ordered if variable == "age_band" else collapse_unordered
        strata = collapse(cells, counts, MIN_CELL)
        merged.append({c: stratum for stratum in strata for c in stratum})
        margins[variable] = {s: float(sum(population[c] for c in s)) for s in strata}
    sample = [
        ({v: merged[i].get(p[i], ("?",)) for i, v in enumerate(variables)}, size)
        for p, size in groups.items()
    ]
    weights = rake_groups(sample, margins, trim=TRIM)
    return dict(zip(groups, weights, strict=True))


def _weighted_totals(
    counts: Mapping[tuple[tuple[int, ...], int], int],
    categories: Sequence[Mapping[int, str | None]],
    weights: Mapping[tuple[str, ...], float],
) -> tuple[dict[int, float], int]:
    totals: dict[int, float] = {}
    respondents_counted = 0
    for (options, option_id), count in counts.items():
        pattern = _pattern(categories, options)
        weight = None if pattern is None else weights.get(pattern)
        if weight is None:
            continue
        totals[option_id] = totals.get(option_id, 0.0) + weight * count
        respondents_counted += count
    return totals, respondents_counted


def _weighted_options(
    question: Content, totals: tuple[dict[int, float], int], k: int
) -> list[int | None] | None:
    """Each option's weighted share, shown only where its own count is shown."""
    shares, counted = totals
    base = sum(shares.values())
    if counted < k or not base:
        return None
    return [
        None if option["count"] is None else whole_share(shares.get(option["id"], 0.0) / base)
        for option in question["options"]
    ]
