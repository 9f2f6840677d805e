"""How a briefing publishes a number, and names shared by its sections."""

from __future__ import annotations

from typing import Any

from consult.analysis.disclosure import Cell, is_small

CHANNEL_LABELS = {
    "online": "Online",
    "paper": "Paper",
    "phone": "Phone",
    "doorstep": "Door-step",
    "event": "Event",
}


def cell(value: Cell) -> dict[str, Any]:
    """A published number: ``count`` is None when hidden; ``display`` is what a reader sees."""
    return {"count": None if value.suppressed else value.count, "display": value.display()}


def small_cell(count: int, k: int) -> Cell:
    """A number shown on its own (no total to protect): hidden when 1 to k - 1."""
    return Cell.hidden() if is_small(count, k) else Cell.visible(count)


def count_cell(count: int, k: int) -> dict[str, Any]:
    return cell(small_cell(count, k))
