"""How a briefing publishes a number, and names shared by its sections.

Content stores numbers (``count`` None when hidden) and keys; the words a reader sees (the
hidden label, a channel's name, the note under the tables) are given here at render time, in
the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import format_number, gettext, pgettext
from flask_babel import lazy_gettext as _l

from consult.analysis.disclosure import Cell, check_threshold, is_small

CHANNEL_LABELS = {
    "online": _l("Online"),
    "paper": _l("Paper"),
    "phone": _l("Phone"),
    "doorstep": _l("Door-step"),
    "event": _l("Event"),
}


def cell(value: Cell) -> dict[str, Any]:
    """A published number: ``count`` is None when hidden; ``display`` is the stored marker
    (the count, or :data:`consult.analysis.disclosure.HIDDEN_LABEL`); readers see
    :func:`shown`."""
    return {"count": None if value.suppressed else value.count, "display": value.display()}


def hidden_label() -> str:
    """What every hidden number reads as (one label for all: see consult.analysis.disclosure)."""
    return pgettext("a number not shown", "hidden")


def shown(value: Mapping[str, Any]) -> str:
    """A published number as a reader sees it: the count in their language's digits and
    separators, or the hidden label."""
    count = value.get("count")
    return hidden_label() if count is None else format_number(count)


def channel_label(channel: str) -> str:
    """A channel's name ("Paper"); a name from an old briefing is kept as it was."""
    label = CHANNEL_LABELS.get(channel)
    return channel if label is None else str(label)


def suppression_note(k: int) -> str:
    """The footnote that explains hidden numbers, to print once under any table that has one."""
    check_threshold(k)
    return gettext(
        "Numbers are hidden where fewer than %(k)s people gave an answer. Sometimes a second "
        "number is hidden too, so that a hidden one cannot be worked out from the totals.",
        k=k,
    )


def small_cell(count: int, k: int) -> Cell:
    """A number shown on its own (no total to protect): hidden when 1 to k - 1."""
    return Cell.hidden() if is_small(count, k) else Cell.visible(count)


def count_cell(count: int, k: int) -> dict[str, Any]:
    return cell(small_cell(count, k))
