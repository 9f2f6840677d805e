"""Caveats and changes since the last briefing, as records worded at render time
(:mod:`consult.briefings.wording`), from suppressed content.

Both read only the content that disclosure control has already produced, so a record holds no
number that the tables hide, and neither can the sentence made from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Fewer responses than this in a period make its changes uncertain.
SMALL_PERIOD = 30
# Percentage-point and scale-mean changes smaller than these are not worth a sentence.
PERCENT_CHANGE = 5.0
MEAN_CHANGE = 0.2
CHANGES_PER_SURVEY = 5

Content = Mapping[str, Any]
Record = dict[str, Any]


def caveats(surveys: Sequence[Content], k: int, has_profile: bool, place: str) -> list[Record]:
    """What a reader should bear in mind, survey by survey, then about the whole briefing."""
    notes: list[Record] = []
    for survey in surveys:
        notes += survey_caveats(survey, k)
    if not has_profile:
        notes.append({"say": "no_profile", "place": place})
    return notes


def survey_caveats(survey: Content, k: int) -> list[Record]:
    title = survey["title"]
    if survey["total"]["count"] is None:
        return [{"say": "survey_hidden", "title": title, "k": k}]
    notes: list[Record] = []
    recent = survey["in_period"]["count"]
    if recent is None:
        notes.append({"say": "period_hidden", "title": title})
    elif 0 < recent < SMALL_PERIOD:
        notes.append({"say": "period_small", "title": title, "count": recent})
    if any(q["base"]["count"] is None for q in survey["questions"]):
        notes.append({"say": "questions_hidden", "title": title, "k": k})
    return notes + channel_caveats(survey, k) + weighting_caveats(survey)


def weighting_caveats(survey: Content) -> list[Record]:
    """What weighted results are and how far to trust them (the variables weighted by, and the
    effective sample size)."""
    weighting = survey.get("weighting")
    if not weighting:
        return []
    record = {"title": survey["title"], "variables": weighting["variables"]}
    if not weighting["shown"]:
        return [{"say": "not_weighted", **record}]
    size = weighting["effective_sample_size"]
    return [{"say": "weighted", **record, "effective_sample_size": size}]


def channel_caveats(survey: Content, k: int) -> list[Record]:
    """Responses that did not come in online, e.g. "12 paper responses were keyed in by staff",
    and one line when the split between channels is hidden."""
    title = survey["title"]
    hidden = [row["channel"] for row in survey["channels"] if row["total"]["count"] is None]
    notes: list[Record] = []
    if len(hidden) > 1:
        notes.append({"say": "channels_hidden", "title": title, "channels": hidden, "k": k})
    for row in survey["channels"]:
        if row["channel"] != "online":
            count = row["total"]["count"]
            notes.append(
                {"say": "keyed_in", "title": title, "channel": row["channel"], "count": count}
            )
    return notes


def changes(surveys: Sequence[Content], previous: Content | None, place: str) -> list[Record]:
    """What moved since the last briefing: new surveys, more responses, shifts in answers."""
    if previous is None:
        return [{"say": "first_briefing", "place": place}]
    before = {s["id"]: s for s in previous.get("surveys", [])}
    lines: list[Record] = []
    for survey in surveys:
        old = before.get(survey["id"])
        if old is None:
            lines.append({"say": "new_survey", "title": survey["title"]})
            continue
        lines += survey_changes(survey, old)
    return lines or [{"say": "nothing_changed"}]


def survey_changes(survey: Content, old: Content) -> list[Record]:
    title = survey["title"]
    lines: list[Record] = []
    if old.get("status") == "open" and survey["status"] == "closed":
        lines.append({"say": "survey_closed", "title": title})
    now, then, recent = survey["total"]["count"], old["total"]["count"], survey["in_period"]
    # Stated only when the period's own count is shown: otherwise the difference would give it.
    if now is not None and then is not None and recent["count"]:
        lines.append({"say": "more_responses", "title": title, "now": now, "then": then})
    old_questions = {q["id"]: q for q in old.get("questions", [])}
    shifts: list[Record] = []
    for question in survey["questions"]:
        if question["id"] in old_questions:
            shifts += question_changes(question, old_questions[question["id"]])
    return lines + shifts[:CHANGES_PER_SURVEY]


def question_changes(question: Content, old: Content) -> list[Record]:
    lines: list[Record] = []
    old_percent = {o["id"]: o.get("percent") for o in old.get("options", [])}
    for option in question.get("options", []):
        now, then = option.get("percent"), old_percent.get(option["id"])
        if now is not None and then is not None and abs(now - then) >= PERCENT_CHANGE:
            lines.append(
                {
                    "say": "answer_moved",
                    "question": question["text"],
                    "answer": option["label"],
                    "before": then,
                    "after": now,
                }
            )
    now_mean, old_mean = question.get("mean"), old.get("mean")
    if now_mean is not None and old_mean is not None and abs(now_mean - old_mean) >= MEAN_CHANGE:
        lines.append(
            {
                "say": "mean_moved",
                "question": question["text"],
                "before": old_mean,
                "after": now_mean,
            }
        )
    return lines
