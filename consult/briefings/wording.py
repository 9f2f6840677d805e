"""A briefing's sentences, written at render time in the reader's language.

A briefing's content stores records, not sentences: each caveat, change and "who was heard" line
is a message key (``say``) with its arguments (titles, labels, keys, and only numbers that the
content itself publishes). The functions here turn a record into words with Flask-Babel, so the
archive page speaks its viewer's language and each email its recipient's. A plain string in old
content is a sentence written before records were stored, and is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from babel.lists import format_list
from flask import Flask
from flask_babel import format_decimal, format_number, get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from consult.analysis.weighting import whole_percent_number
from consult.briefings.layout import table_attributes
from consult.briefings.models import BriefingKind
from consult.briefings.published import channel_label, hidden_label, shown, suppression_note
from consult.ideas.models import IdeaStatus
from consult.moderation.services import waited

Record = Mapping[str, Any]

SUBJECTS = {
    BriefingKind.ON_DEMAND: _l("Briefing for %(place)s: what residents said"),
    BriefingKind.WEEKLY: _l("Weekly briefing for %(place)s: what residents said"),
    BriefingKind.SURVEY_CLOSED: _l("%(survey)s has closed: what residents said in %(place)s"),
}
# Census 2021 categories (consult.briefings.population) and "Not stated", as stored in content.
CATEGORIES = {
    "Under 16": _l("Under 16"),
    "16 to 24": _l("16 to 24"),
    "25 to 34": _l("25 to 34"),
    "35 to 44": _l("35 to 44"),
    "45 to 54": _l("45 to 54"),
    "55 to 64": _l("55 to 64"),
    "65 to 74": _l("65 to 74"),
    "75 or over": _l("75 or over"),
    "Female": _l("Female"),
    "Male": _l("Male"),
    "Asian or Asian British": _l("Asian or Asian British"),
    "Black, Black British, Caribbean or African": _l("Black, Black British, Caribbean or African"),
    "Mixed or Multiple ethnic groups": _l("Mixed or Multiple ethnic groups"),
    "White": _l("White"),
    "Other ethnic group": _l("Other ethnic group"),
    "Not stated": _l("Not stated"),
}
VARIABLES = {"age_band": _l("Age"), "sex": _l("Sex"), "ethnic_group": _l("Ethnic group")}
# What weighting matched the neighbourhood by, as in "matched the neighbourhood by age and sex".
WEIGHTED_BY = {"age_band": _l("age"), "sex": _l("sex"), "ethnic_group": _l("ethnic group")}
BREAKDOWN_TITLES = {
    "age_band": _l("“%(question)s” by age"),
    "sex": _l("“%(question)s” by sex"),
    "gender_identity": _l(
        "“%(question)s” by whether gender identity is the same as sex registered at birth"
    ),
    "ethnic_group": _l("“%(question)s” by ethnic group"),
    "disability": _l("“%(question)s” by long-term health condition"),
    "tenure": _l("“%(question)s” by home"),
    "employment": _l("“%(question)s” by what people do"),
    "channel": _l("“%(question)s” by how people answered"),
}


def words(item: str | Record) -> str:
    """A stored caveat, change or sentence in the current language."""
    if isinstance(item, str):
        return item
    return SENTENCES[item["say"]](item)


def decimal(value: float) -> str:
    """A percentage or mean as the reader writes decimals ("54.5", "54,5")."""
    return format_decimal(value, format="#,##0.##")


def percent(value: float) -> str:
    return gettext("%(number)s%%", number=decimal(value))


def share(value: float) -> str:
    """A share (0 to 1) as a whole percentage; "less than 1%" for a sliver."""
    if 0 < value < 0.005:
        return gettext("less than 1%")
    return gettext("%(number)s%%", number=format_number(whole_percent_number(value)))


def category(label: str) -> str:
    """A Census category or "Not stated" in the reader's language; another label as it is."""
    found = CATEGORIES.get(label)
    return label if found is None else str(found)


def group_label(label: str, by: str = "") -> str:
    """A breakdown row's group: a channel's name, a Census category, or a survey's own label."""
    return channel_label(label) if by == "channel" else category(label)


def variable_label(group: Record) -> str:
    found = VARIABLES.get(group.get("variable", ""))
    return str(group.get("label", "")) if found is None else str(found)


def who(variable: str, label: str) -> str:
    """A group named as the subject of a sentence: "People aged 16 to 24", "Women and girls"."""
    if variable == "age_band":
        if label == "Under 16":
            return gettext("People under 16")
        return gettext("People aged %(band)s", band=category(label))
    if variable == "sex" and label == "Female":
        return gettext("Women and girls")
    if variable == "sex" and label == "Male":
        return gettext("Men and boys")
    if variable == "sex":
        return category(label)
    return gettext("People in the ‘%(group)s’ ethnic group", group=category(label))


def and_list(items: Sequence[str]) -> str:
    """ "age and sex", "Paper, Phone and Event", joined as the reader's language joins them."""
    return format_list(list(items), locale=get_locale() or "en")


def weighted_by(variables: Sequence[str]) -> str:
    return and_list([str(WEIGHTED_BY[v]) for v in variables])


def subject(kind: BriefingKind, place: str, survey: str = "") -> str:
    return str(SUBJECTS[kind] % {"place": place, "survey": survey})[:200]


def breakdown_title(breakdown: Record) -> str:
    if "question" not in breakdown:
        return str(breakdown.get("title", ""))
    return str(BREAKDOWN_TITLES[breakdown["by"]] % {"question": breakdown["question"]})


def breakdown_note(breakdown: Record) -> str:
    if breakdown.get("several"):
        return gettext(
            "People could choose more than one answer, so each percentage is of the people in "
            "the group who answered, and a group's percentages can add up to more than 100%."
        )
    return str(breakdown.get("note") or "")


def scale_ends(scale: str | Record) -> str:
    """What the scale's numbers mean, e.g. "1 = Disagree to 3 = Agree"."""
    if isinstance(scale, str):
        return scale
    return gettext(
        "%(low)s = %(low_label)s to %(high)s = %(high_label)s",
        low=format_number(scale["low"]),
        low_label=scale["low_label"],
        high=format_number(scale["high"]),
        high_label=scale["high_label"],
    )


def idea_status(status: str) -> str:
    """An idea's status ("Shortlisted"); "New" without one; an old briefing's label as it was."""
    if not status:
        return gettext("New")
    if status in IdeaStatus._value2member_map_:
        return str(IdeaStatus(status).label)
    return status


def waiting(ideas: Record) -> str:
    """How long the oldest item has waited for moderation, in words: "5 hours", "3 days"."""
    if "queue_hours" not in ideas:
        return str(ideas.get("queue_oldest") or "")
    return waited(int(ideas["queue_hours"]))


def note(content: Record) -> str:
    """The footnote under the tables, when something is hidden."""
    stored = content.get("suppression_note")
    if isinstance(stored, Mapping):
        return suppression_note(int(stored["k"]))
    return str(stored or "")


def chart_alt(question: Record) -> str:
    """A chart in words, with the numbers exactly as the table shows them."""
    parts = [
        gettext(
            "%(answer)s: %(value)s",
            answer=option["label"],
            value=hidden_label() if option["percent"] is None else percent(option["percent"]),
        )
        for option in question["options"]
    ]
    return gettext(
        "Bar chart of answers to “%(question)s”, as a percentage of the %(count)s people who "
        "answered. %(answers)s.",
        question=question["text"],
        count=shown(question["base"]),
        answers="; ".join(parts),
    )


# Caveats -------------------------------------------------------------------------------------


def _survey_hidden(r: Record) -> str:
    return gettext(
        "Fewer than %(k)s people have answered “%(title)s”, so its numbers are hidden to protect "
        "their privacy.",
        k=r["k"],
        title=r["title"],
    )


def _period_hidden(r: Record) -> str:
    return gettext(
        "Very few responses to “%(title)s” came in during this period, so how many is hidden "
        "and changes should be treated with care.",
        title=r["title"],
    )


def _period_small(r: Record) -> str:
    return ngettext(
        "Only %(num)d response to “%(title)s” came in during this period, so changes should be "
        "treated with care.",
        "Only %(num)d responses to “%(title)s” came in during this period, so changes should "
        "be treated with care.",
        r["count"],
        title=r["title"],
    )


def _questions_hidden(r: Record) -> str:
    return gettext(
        "Some questions in “%(title)s” had fewer than %(k)s answers, so their percentages and "
        "averages are hidden.",
        k=r["k"],
        title=r["title"],
    )


def _channels_hidden(r: Record) -> str:
    return gettext(
        "The split of responses to “%(title)s” between %(channels)s is hidden: one of these is "
        "fewer than %(k)s, and showing the other would give it away by subtraction from the "
        "total.",
        title=r["title"],
        channels=and_list([channel_label(c).lower() for c in r["channels"]]),
        k=r["k"],
    )


def _keyed_in(r: Record) -> str:
    if r.get("count") is None:
        return gettext(
            "Some responses to “%(title)s” came in by %(channel)s and were keyed in by staff "
            "(how many is hidden).",
            title=r["title"],
            channel=channel_label(r["channel"]).lower(),
        )
    return ngettext(
        "%(count)s response to “%(title)s” came in by %(channel)s and was keyed in by staff.",
        "%(count)s responses to “%(title)s” came in by %(channel)s and were keyed in by staff.",
        r["count"],
        count=format_number(r["count"]),
        title=r["title"],
        channel=channel_label(r["channel"]).lower(),
    )


def _no_profile(r: Record) -> str:
    return gettext(
        "No population profile has been entered for %(place)s, so this briefing cannot compare "
        "who answered with who lives there.",
        place=r["place"],
    )


def _not_weighted(r: Record) -> str:
    return gettext(
        "The results of “%(title)s” are not weighted: too few people gave their %(names)s to "
        "weight them to the neighbourhood's population.",
        title=r["title"],
        names=weighted_by(r["variables"]),
    )


def _weighted(r: Record) -> str:
    return gettext(
        "The weighted results of “%(title)s” show roughly what the answers would have been if "
        "the people who answered had matched the neighbourhood by %(names)s. They use only "
        "those who told us their %(names)s, no one person counts for more than five times the "
        "average, and they cannot speak for views nobody gave: treat them as a guide. They are "
        "about as precise as a random sample of %(size)s people (the effective sample size).",
        title=r["title"],
        names=weighted_by(r["variables"]),
        size=format_number(r["effective_sample_size"]),
    )


# Changes since the last briefing ---------------------------------------------------------------


def _first_briefing(r: Record) -> str:
    return gettext("This is the first briefing for %(place)s.", place=r["place"])


def _new_survey(r: Record) -> str:
    return gettext("“%(title)s” is new since the last briefing.", title=r["title"])


def _nothing_changed(r: Record) -> str:
    return gettext("Nothing has changed since the last briefing.")


def _survey_closed(r: Record) -> str:
    return gettext("“%(title)s” has closed.", title=r["title"])


def _more_responses(r: Record) -> str:
    return gettext(
        "“%(title)s” has %(now)s responses, up from %(then)s at the last briefing.",
        title=r["title"],
        now=format_number(r["now"]),
        then=format_number(r["then"]),
    )


def _answer_moved(r: Record) -> str:
    values = {
        "question": r["question"],
        "answer": r["answer"],
        "before": percent(r["before"]),
        "after": percent(r["after"]),
    }
    if r["after"] > r["before"]:
        return gettext("“%(question)s”: %(answer)s is up from %(before)s to %(after)s.", **values)
    return gettext("“%(question)s”: %(answer)s is down from %(before)s to %(after)s.", **values)


def _mean_moved(r: Record) -> str:
    return gettext(
        "“%(question)s”: the average score moved from %(before)s to %(after)s.",
        question=r["question"],
        before=decimal(r["before"]),
        after=decimal(r["after"]),
    )


# Who was heard -------------------------------------------------------------------------------


def _under_represented(r: Record) -> str:
    group = who(r["variable"], r["category"])
    if r.get("respondents") is None:
        return gettext(
            "%(group)s are %(population)s of the neighbourhood, but very few of them answered "
            "(how many is hidden).",
            group=group,
            population=share(r["population"]),
        )
    return gettext(
        "%(group)s are %(population)s of the neighbourhood but %(respondents)s of respondents.",
        group=group,
        population=share(r["population"]),
        respondents=share(r["respondents"]),
    )


SENTENCES: dict[str, Callable[[Record], str]] = {
    "survey_hidden": _survey_hidden,
    "period_hidden": _period_hidden,
    "period_small": _period_small,
    "questions_hidden": _questions_hidden,
    "channels_hidden": _channels_hidden,
    "keyed_in": _keyed_in,
    "no_profile": _no_profile,
    "not_weighted": _not_weighted,
    "weighted": _weighted,
    "first_briefing": _first_briefing,
    "new_survey": _new_survey,
    "nothing_changed": _nothing_changed,
    "survey_closed": _survey_closed,
    "more_responses": _more_responses,
    "answer_moved": _answer_moved,
    "mean_moved": _mean_moved,
    "under_represented": _under_represented,
}


def init_wording(app: Flask) -> None:
    """The filters briefing templates use to put content into words, and their tables' look."""
    app.jinja_env.globals["table_attributes"] = table_attributes
    app.jinja_env.filters.update(
        words=words,
        shown=shown,
        decimal=decimal,
        channel_label=channel_label,
        category=category,
        group_label=group_label,
        variable_label=variable_label,
        breakdown_title=breakdown_title,
        breakdown_note=breakdown_note,
        scale_ends=scale_ends,
        idea_status=idea_status,
        waiting=waiting,
        suppression_note=note,
        chart_alt=chart_alt,
    )
