"""The results page's numbers in the API's shape.

Every published number is an object: a count as ``{"count": n, "suppressed": false}``, a
statistic (percentage, mean, median, smallest, largest) as ``{"value": x, "suppressed": false}``.
A hidden number is ``null`` with ``"suppressed": true``; a statistic of nothing (nobody answered)
is ``null`` with ``"suppressed": false``. The threshold k is stated once at the top.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import url_for

from consult.surveys.models import Survey

Content = Mapping[str, Any]


def published_survey(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.id,
        "title": survey.title,
        "status": survey.status,
        "opens_at": survey.opens_at.isoformat() if survey.opens_at else None,
        "closes_at": survey.closes_at.isoformat() if survey.closes_at else None,
        "results": url_for("api.results", survey_id=survey.id),
    }


def count(cell: Content) -> dict[str, Any]:
    """A count from the page's ``{"count", "display"}``: None only when hidden."""
    return {"count": cell["count"], "suppressed": cell["count"] is None}


def statistic(value: float | None, base: Content) -> dict[str, Any]:
    """A statistic of ``base`` people: None is "hidden" unless nobody answered."""
    return {"value": value, "suppressed": value is None and base["count"] != 0}


def results_json(results: Content) -> dict[str, Any]:
    return {
        "survey": {"id": results["id"], "title": results["title"], "status": results["status"]},
        "threshold": results["threshold"],
        "suppression_rule": (
            f"Counts from 1 to {results['threshold'] - 1} are hidden (null, suppressed: true), "
            "with a second count where needed so that totals do not give them away; "
            f"statistics of fewer than {results['threshold']} answers are hidden too."
        ),
        "responses": {
            "total": count(results["total"]),
            "by_channel": [{"channel": c["channel"], **count(c)} for c in results["channels"]],
            "by_day": [{"date": d["date"], **count(d)} for d in results["days"]],
        },
        "questions": [
            question_json(position, q) for position, q in enumerate(results["questions"], 1)
        ],
    }


def question_json(position: int, question: Content) -> dict[str, Any]:
    base = question["base"]
    out: dict[str, Any] = {
        "id": question["id"],
        "position": position,
        "text": question["text"],
        "kind": question["kind"],
        "answered": count(base),
    }
    if question["options"]:
        out["options"] = [
            {
                "id": o["id"],
                "label": o["label"],
                **count(o),
                "percent": statistic(o["percent"], base),
            }
            for o in question["options"]
        ]
    if "mean" in question:
        out["mean"] = statistic(question["mean"], base)
    if "number" in question:
        stats = question["number"]
        out["number"] = {"answered": count(stats["count"])} | {
            name: statistic(stats[name], stats["count"])
            for name in ("mean", "median", "minimum", "maximum")
        }
    if "text_answers" in question:
        out["written_answers"] = count(question["text_answers"])
    if "sectors" in question:
        out["sectors"] = [
            {"sector": s["sector"], **count(s), "percent": statistic(s["percent"], base)}
            for s in question["sectors"]
        ]
    return out
