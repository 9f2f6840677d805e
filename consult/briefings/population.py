"""A neighbourhood's population profile (Census 2021 counts), entered by hand or from CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, select

from consult.briefings.models import PopulationProfile
from consult.core.forms import whole_number
from consult.extensions import db

# Census 2021 categories, grouped as the surveys' ready-made "About you" questions ask them
# (consult/surveys/demographics.py), so that respondents can be set against these counts:
# age in eight bands (from TS007A), sex (TS008) and the five high-level ethnic groups (TS021).
CENSUS_CATEGORIES: dict[str, tuple[str, ...]] = {
    "age_band": (
        "Under 16",
        "16 to 24",
        "25 to 34",
        "35 to 44",
        "45 to 54",
        "55 to 64",
        "65 to 74",
        "75 or over",
    ),
    "sex": ("Female", "Male"),
    "ethnic_group": (
        "Asian or Asian British",
        "Black, Black British, Caribbean or African",
        "Mixed or Multiple ethnic groups",
        "White",
        "Other ethnic group",
    ),
}
CSV_HEADER = ("variable", "category", "count")
MAX_COUNT = 10_000_000
MAX_ROWS = 200

Profile = dict[str, dict[str, int]]


def load_profile(neighbourhood_id: int) -> Profile:
    """{variable: {category: count}} in Census order; variables without counts are absent."""
    rows = db.session.execute(
        select(
            PopulationProfile.variable, PopulationProfile.category, PopulationProfile.count
        ).where(PopulationProfile.neighbourhood_id == neighbourhood_id)
    ).all()
    stored = {(variable, category): count for variable, category, count in rows}
    profile: Profile = {}
    for variable, categories in CENSUS_CATEGORIES.items():
        counts = {c: stored[(variable, c)] for c in categories if (variable, c) in stored}
        if counts:
            profile[variable] = counts
    return profile


def replace_profile(neighbourhood_id: int, profile: Mapping[str, Mapping[str, int]]) -> None:
    """Store ``profile`` in place of the neighbourhood's whole profile. Flushes."""
    db.session.execute(
        delete(PopulationProfile).where(PopulationProfile.neighbourhood_id == neighbourhood_id)
    )
    for variable, counts in profile.items():
        for category, count in counts.items():
            db.session.add(
                PopulationProfile(
                    neighbourhood_id=neighbourhood_id,
                    variable=variable,
                    category=category,
                    count=count,
                )
            )
    db.session.flush()


@dataclass
class ProfileImport:
    """A parsed CSV: the profile it holds, or the problems that stop it being stored."""

    profile: Profile = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def parse_profile_csv(text: str) -> ProfileImport:
    """Read ``variable,category,count`` rows. Every row is checked and every problem listed
    with its row number; a file with any problem gives no profile at all."""
    result = ProfileImport()
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if tuple(header) != CSV_HEADER:
        result.errors.append(_("The first row must be the headings: variable,category,count"))
        return result
    seen: set[tuple[str, str]] = set()
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            result.errors.append(_("The file has more than %(count)d rows", count=MAX_ROWS))
            break
        if not any(cell.strip() for cell in row):
            continue
        error = _row_error(row, seen)
        if error:
            result.errors.append(_("Row %(number)d: %(error)s", number=number, error=error))
            continue
        variable, category, count = row[0].strip(), row[1].strip(), int(row[2].strip())
        seen.add((variable, category))
        result.profile.setdefault(variable, {})[category] = count
    if not result.errors and not result.profile:
        result.errors.append(_("The file has no counts in it"))
    if result.errors:
        result.profile = {}
    return result


def _row_error(row: list[str], seen: set[tuple[str, str]]) -> str | None:
    if len(row) != 3:
        return "needs exactly 3 values: variable, category and count"
    variable, category, count = (cell.strip() for cell in row)
    if variable not in CENSUS_CATEGORIES:
        return f"the variable must be one of {', '.join(CENSUS_CATEGORIES)}"
    if category not in CENSUS_CATEGORIES[variable]:
        return f"“{category[:60]}” is not a Census 2021 category of {variable}"
    if (variable, category) in seen:
        return f"{variable} “{category}” is given twice"
    if whole_number(count, MAX_COUNT) is None:
        return f"the count must be a whole number from 0 to {MAX_COUNT:,}"
    return None
