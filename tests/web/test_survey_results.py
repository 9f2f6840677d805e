"""The results page, its tables CSV and the shared results service, against hand counts.

The data is described in ``tests/results_data.py`` (k = 3).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from consult.analysis.disclosure import HIDDEN_LABEL
from consult.briefings.models import Briefing
from consult.core.i18n import COOKIE
from consult.extensions import db
from consult.surveys.results import survey_results
from consult.surveys.services import store_response
from tests.conftest import AuthActions
from tests.factories import NeighbourhoodFactory, staff, survey_with_questions
from tests.results_data import EARLY_DAY, K, results_survey


def published_counts(data: Any) -> list[int | None]:
    """Every count in a results structure (the dicts with a display text)."""
    if isinstance(data, Mapping):
        found = [data["count"]] if "display" in data else []
        return found + [c for value in data.values() for c in published_counts(value)]
    if isinstance(data, list):
        return [c for value in data for c in published_counts(value)]
    return []


def assert_no_small_count(data: Any, k: int) -> None:
    small = [c for c in published_counts(data) if c is not None and 0 < c < k]
    assert not small, f"counts below k={k} published: {small}"


def by_label(rows: list[dict[str, Any]], key: str = "label") -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in rows}


def test_results_match_the_hand_count(app: Flask) -> None:
    survey = results_survey()
    results = survey_results(survey, by_channel=True)
    single, multiple, scale, free, number, postcode = results["questions"]

    assert results["threshold"] == K and results["total"]["count"] == 12
    assert [(c["label"], c["count"]) for c in results["channels"]] == [("Online", 9), ("Paper", 3)]
    # Two responses on 1 March (hidden) and ten today, hidden too so that 12 - 10 gives none away.
    days = results["days"]
    assert days[0]["date"] == EARLY_DAY.date().isoformat()
    assert [d["display"] for d in days] == [HIDDEN_LABEL, HIDDEN_LABEL]

    options = by_label(single["options"])
    assert (options["Daily"]["count"], options["Daily"]["percent"]) == (6, 50.0)
    assert options["Never"]["count"] is None  # 2 < k
    assert options["Weekly"]["count"] is None  # the complement: 12 - 6 - 4 would give 2
    assert single["base"]["count"] == 12

    ticks = by_label(multiple["options"])
    assert (ticks["Seats"]["count"], ticks["Seats"]["percent"]) == (8, 66.7)
    assert (ticks["Lights"]["count"], ticks["Lights"]["percent"]) == (5, 41.7)
    assert (ticks["Toilets"]["count"], ticks["Toilets"]["percent"]) == (None, None)
    assert multiple["base"]["count"] == 12  # people, not ticks

    points = by_label(scale["options"])
    assert [points[p]["count"] for p in ("Agree", "Neither", "Disagree")] == [7, 5, 0]
    assert scale["mean"] == 2.58 and scale["scale"] == {
        "low": 1,
        "low_label": "Disagree",
        "high": 3,
        "high_label": "Agree",
    }

    assert free["text_answers"]["count"] == 4 and "themes_briefing_id" not in free
    assert number["number"] == {
        "count": {"count": 12, "display": "12"},
        "mean": 6.5,
        "median": 6.5,
        "minimum": 1.0,
        "maximum": 12.0,
    }
    sectors = by_label(postcode["sectors"], "sector")
    assert list(sectors) == ["LS9 7", "LS9 8", "Other sectors"]  # LS6 1 (1 answer) not named
    assert (sectors["LS9 7"]["count"], sectors["LS9 7"]["percent"]) == (8, 66.7)
    assert sectors["LS9 8"]["count"] is None and sectors["Other sectors"]["count"] is None
    assert results["suppression_note"]
    assert_no_small_count(results, K)


def test_breakdown_by_channel_is_the_briefings_linked_to_the_question_table(app: Flask) -> None:
    survey = results_survey()
    single = survey_results(survey, by_channel=True)["questions"][0]
    table = single["by_channel"]
    assert table["columns"] == ["Daily", "Weekly", "Never"]
    assert [row["label"] for row in table["rows"]] == ["online", "paper"]
    assert_no_small_count(table, K)
    # The question's own table is the breakdown's totals row: no row or column, with its
    # total, has exactly one hidden entry, so none can be subtracted.
    grid = [[*row["cells"], row["total"]] for row in table["rows"]]
    grid.append([*single["options"], single["base"]])
    lines = grid + [list(column) for column in zip(*grid, strict=True)]
    for line in lines:
        assert sum(cell["count"] is None for cell in line) != 1, line
    # By hand (k = 3): online Daily 4, Weekly 3, Never 2; paper Daily 2, Weekly 1. The
    # question hides Never (2) and Weekly (4); online then hides its Weekly, and Daily's
    # column its 4. Paper's 0 is shown, as 0% of its 3.
    assert [
        (row["total"]["count"], [c["count"] for c in row["cells"]]) for row in table["rows"]
    ] == [
        (9, [None, None, None]),
        (3, [None, None, 0]),
    ]
    assert table["rows"][1]["cells"][2]["percent"] == 0.0


def test_a_small_group_is_withheld_from_the_breakdown(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    area = NeighbourhoodFactory(slug="big", disclosure_threshold=10)
    survey = results_survey(area)
    table = survey_results(survey, by_channel=True)["questions"][0]["by_channel"]
    # Online (9) and paper (3) are both below 10: both left out, and the page says so.
    assert table["rows"] == [] and table["left_out"] == 2
    assert_no_small_count(survey_results(survey, by_channel=True), 10)
    auth.sign_in(staff(area, "officer").email)
    page = client.get(f"/n/big/surveys/{survey.id}/results?by=channel").get_data(as_text=True)
    assert "Question 1 by channel: not shown, because every channel had fewer than 10" in page


def test_a_survey_with_fewer_responses_than_k_shows_its_total_hidden(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    """The total of a survey with fewer than k responses is hidden (its count is None), and
    the page still says so, in English and in a language with plural forms of its own (where
    the count picks the form, so a hidden one once failed the page)."""
    area = NeighbourhoodFactory(slug="few", disclosure_threshold=10, languages="pl")
    survey = survey_with_questions(area)
    for _ in range(3):
        store_response(survey, [])
    db.session.commit()
    assert survey_results(survey)["total"]["count"] is None
    auth.sign_in(staff(area, "member").email)
    page = client.get(f"/n/few/surveys/{survey.id}/results")
    assert page.status_code == 200
    assert f"<strong>{HIDDEN_LABEL}</strong> responses so far." in page.get_data(as_text=True)
    client.set_cookie(COOKIE, "pl")
    assert client.get(f"/n/few/surveys/{survey.id}/results").status_code == 200


def test_the_page_shows_hand_counted_numbers_bars_and_hidden_labels(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    survey = results_survey()
    officer = staff(survey.neighbourhood, "officer")
    auth.sign_in(officer.email)
    page = client.get(f"/n/res/surveys/{survey.id}/results")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<strong>12</strong> responses so far." in html
    assert "numbers from 1 to 2 are hidden" in html
    # Daily: 6, 50%, and a bar half the track long; hidden rows have no bar and no percentage.
    assert '<th scope="row" class="govuk-table__header">Daily</th>' in html
    assert "50%" in html and "consult-bar--50" in html
    never = html.split(">Never</th>", 1)[1].split("</tr>", 1)[0]
    assert HIDDEN_LABEL in never and "consult-bar--" not in never
    assert "Average score: <strong>2.58</strong> (1 = Disagree to 3 = Agree)" in html
    assert "average <strong>6.5</strong>, median 6.5, smallest 1, largest 12" in html
    assert "Other sectors" in html and "LS6 1" not in html
    assert "Numbers are hidden where fewer than 3 people gave an answer" in html
    assert "Question 1 by channel" not in html

    by_channel = client.get(f"/n/res/surveys/{survey.id}/results?by=channel")
    assert "Question 1 by channel</caption>" in by_channel.get_data(as_text=True)


def test_written_answers_link_to_the_latest_briefing_with_their_themes(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    survey = results_survey()
    free = survey.questions[3]
    area = survey.neighbourhood

    def briefing(day: int, themes: list[dict[str, Any]]) -> Briefing:
        built = Briefing(
            neighbourhood_id=area.id,
            kind="on_demand",
            status="built",
            period_start=datetime(2026, 4, day, tzinfo=UTC),
            period_end=datetime(2026, 4, day + 1, tzinfo=UTC),
            content={
                "surveys": [{"id": survey.id, "questions": [{"id": free.id, "themes": themes}]}]
            },
        )
        db.session.add(built)
        db.session.commit()
        return built

    assert "themes_briefing_id" not in survey_results(survey)["questions"][3]
    older = briefing(1, [{"keywords": ["bins"]}])
    briefing(5, [])  # the newest briefing found no themes: the older one is linked
    assert survey_results(survey)["questions"][3]["themes_briefing_id"] == older.id
    auth.sign_in(staff(area, "member").email)
    html = client.get(f"/n/res/surveys/{survey.id}/results").get_data(as_text=True)
    assert f'href="/n/res/briefings/{older.id}"' in html
    assert "Read the themes in the latest briefing" in html


def test_tables_csv_has_the_page_numbers_and_no_small_count(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    survey = results_survey()
    auth.sign_in(staff(survey.neighbourhood, "member").email)
    response = client.get(f"/n/res/surveys/{survey.id}/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["Question", "Answer", "Count", "Percent"]
    found = {(r[0], r[1]): r[2:] for r in rows[1:] if len(r) == 4}
    assert found[("Responses", "In total")] == ["12", ""]
    assert found[("Q1. How often do you visit?", "Daily")] == ["6", "50"]
    assert found[("Q1. How often do you visit?", "Never")] == [HIDDEN_LABEL, HIDDEN_LABEL]
    assert found[("Q5. How many years?", "Median")] == ["6.5", ""]
    assert found[("Q6. Your postcode?", "Sector LS9 7")] == ["8", "66.7"]
    by_channel = "Q1. How often do you visit? (by channel)"
    assert found[(by_channel, "Paper: answered")] == ["3", ""]
    assert found[(by_channel, "Paper: Never")] == ["0", "0"]
    statistics = ("Mean", "Median", "Minimum", "Maximum", "Average score")
    counts = [r for r in rows[1:] if len(r) == 4 and r[2].isdigit()]
    counts = [r for r in counts if not r[1].startswith(statistics)]
    assert counts and all(int(r[2]) == 0 or int(r[2]) >= K for r in counts), counts


def test_results_of_a_survey_with_no_responses(app: Flask, client: FlaskClient) -> None:
    from tests.factories import survey_with_questions

    area = NeighbourhoodFactory(slug="empty")
    survey = survey_with_questions(area)
    results = survey_results(survey, by_channel=True)
    assert results["total"]["count"] == 0 and results["days"] == []
    assert results["suppression_note"] == ""
    AuthActions(client).sign_in(staff(area, "officer").email)
    page = client.get(f"/n/empty/surveys/{survey.id}/results?by=channel")
    assert page.status_code == 200 and "<strong>0</strong> responses so far." in page.get_data(
        as_text=True
    )
