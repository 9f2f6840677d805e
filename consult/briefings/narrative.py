"""Plain-English caveats and changes since the last briefing, written from suppressed content.

Both read only the content that disclosure control has already produced, so a sentence can
never state a number that the tables hide.
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


def caveats(surveys: Sequence[Content], k: int, has_profile: bool, place: str) -> list[str]:
    """What a reader should bear in mind, survey by survey, then about the whole briefing."""
    notes: list[str] = []
    for survey in surveys:
        notes += survey_caveats(survey, k)
    if not has_profile:
        notes.append(
            f"No population profile has been entered for {place}, so this briefing cannot "
            f"compare who answered with who lives there."
        )
    return notes


def survey_caveats(survey: Content, k: int) -> list[str]:
    title = f"“{survey['title']}”"
    if survey["total"]["count"] is None:
        return [
            f"Fewer than {k} people have answered {title}, so its numbers are hidden to "
            f"protect their privacy."
        ]
    notes = []
    recent = survey["in_period"]["count"]
    if recent is None:
        notes.append(
            f"Very few responses to {title} came in during this period, so how many is hidden "
            f"and changes should be treated with care."
        )
    elif 0 < recent < SMALL_PERIOD:
        notes.append(
            f"Only {recent} responses to {title} came in during this period, so changes "
            f"should be treated with care."
        )
    if any(q["base"]["count"] is None for q in survey["questions"]):
        notes.append(
            f"Some questions in {title} had fewer than {k} answers, so their percentages and "
            f"averages are hidden."
        )
    return notes + channel_caveats(survey, k) + weighting_caveats(survey)


def weighting_caveats(survey: Content) -> list[str]:
    """What weighted results are and how far to trust them, in plain words."""
    weighting = survey.get("weighting")
    title = f"“{survey['title']}”"
    if not weighting:
        return []
    if not weighting["shown"]:
        return [
            f"The results of {title} are not weighted: too few people gave their "
            f"{weighting['names']} to weight them to the neighbourhood's population."
        ]
    return [
        f"The weighted results of {title} show roughly what the answers would have been if the "
        f"people who answered had matched the neighbourhood by {weighting['names']}. They use "
        f"only those who told us their {weighting['names']}, no one person counts for more than "
        f"five times the average, and they cannot speak for views nobody gave: treat them as a "
        f"guide. They are about as precise as a random sample of "
        f"{weighting['effective_sample_size']} people (the effective sample size)."
    ]


def channel_caveats(survey: Content, k: int) -> list[str]:
    """Responses that did not come in online, e.g. "12 paper responses were keyed in by staff",
    and one line when the split between channels is hidden."""
    hidden = [row["label"].lower() for row in survey["channels"] if row["total"]["count"] is None]
    notes = []
    if len(hidden) > 1:
        notes.append(
            f"How many {' and '.join(hidden)} responses “{survey['title']}” had is hidden: one "
            f"of them is fewer than {k}, and showing the other would give it away by "
            f"subtraction from the total."
        )
    for row in survey["channels"]:
        if row["channel"] == "online":
            continue
        kind = row["label"].lower()
        if row["total"]["count"] is None:
            notes.append(
                f"Some {kind} responses to “{survey['title']}” were keyed in by staff "
                f"(how many is hidden)."
            )
        else:
            notes.append(
                f"{row['total']['display']} {kind} responses to “{survey['title']}” were "
                f"keyed in by staff."
            )
    return notes


def changes(surveys: Sequence[Content], previous: Content | None, place: str) -> list[str]:
    """What moved since the last briefing: new surveys, more responses, shifts in answers."""
    if previous is None:
        return [f"This is the first briefing for {place}."]
    before = {s["id"]: s for s in previous.get("surveys", [])}
    lines: list[str] = []
    for survey in surveys:
        old = before.get(survey["id"])
        if old is None:
            lines.append(f"“{survey['title']}” is new since the last briefing.")
            continue
        lines += survey_changes(survey, old)
    return lines or ["Nothing has changed since the last briefing."]


def survey_changes(survey: Content, old: Content) -> list[str]:
    title = f"“{survey['title']}”"
    lines = []
    if old.get("status") == "open" and survey["status"] == "closed":
        lines.append(f"{title} has closed.")
    now, then, recent = survey["total"]["count"], old["total"]["count"], survey["in_period"]
    # Stated only when the period's own count is shown: otherwise the difference would give it.
    if now is not None and then is not None and recent["count"]:
        lines.append(
            f"{title} has {survey['total']['display']} responses, up from "
            f"{old['total']['display']} at the last briefing."
        )
    old_questions = {q["id"]: q for q in old.get("questions", [])}
    shifts = []
    for question in survey["questions"]:
        if question["id"] in old_questions:
            shifts += question_changes(question, old_questions[question["id"]])
    return lines + shifts[:CHANGES_PER_SURVEY]


def question_changes(question: Content, old: Content) -> list[str]:
    lines = []
    old_percent = {o["id"]: o.get("percent") for o in old.get("options", [])}
    for option in question.get("options", []):
        now, then = option.get("percent"), old_percent.get(option["id"])
        if now is not None and then is not None and abs(now - then) >= PERCENT_CHANGE:
            direction = "up" if now > then else "down"
            lines.append(
                f"“{question['text']}”: {option['label']} is {direction} from "
                f"{then:g}% to {now:g}%."
            )
    now_mean, old_mean = question.get("mean"), old.get("mean")
    if now_mean is not None and old_mean is not None and abs(now_mean - old_mean) >= MEAN_CHANGE:
        lines.append(
            f"“{question['text']}”: the average score moved from {old_mean:g} to {now_mean:g}."
        )
    return lines
