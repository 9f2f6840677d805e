"""Bar charts of a briefing's answers, drawn as PNG images for the email (never SVG or script).

Drawn from the stored, already suppressed content: a hidden answer has no bar and reads
"hidden", so a chart can show no number the tables hide. The alt text says the same in words,
in the reader's language, written into each edition's HTML as it is rendered
(:func:`consult.briefings.wording.chart_alt`); the image stays as drawn.
Drawn with matplotlib's object API on the Agg canvas (no pyplot, no global state), with fixed
sizes and no metadata, so the same content always gives the same bytes.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from consult.analysis.disclosure import HIDDEN_LABEL

LABEL_CHARACTERS = 40
BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
Content = Mapping[str, Any]


@dataclass(frozen=True)
class Chart:
    question_id: int
    name: str
    png: bytes


def charts(content: Content) -> Iterator[Chart]:
    """A chart for every question with options and at least one percentage shown."""
    for survey in content.get("surveys", []):
        for question in survey["questions"]:
            if any(o.get("percent") is not None for o in question.get("options", [])):
                yield Chart(
                    question_id=question["id"],
                    name=f"chart-{survey['id']}-{question['id']}@consult",
                    png=bar_chart(question),
                )


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def bar_chart(question: Content) -> bytes:
    """A horizontal bar per option: its percentage, or no bar and "hidden"."""
    from matplotlib.figure import Figure  # imported when drawing: it is slow to import

    options = question["options"]
    values = [o["percent"] or 0.0 for o in options]
    figure = Figure(figsize=(6.4, 0.45 * len(options) + 0.7), dpi=100)
    axes = figure.subplots()
    positions = list(range(len(options)))
    axes.barh(positions, values, color=BAR_COLOUR, height=0.6)
    axes.set_yticks(positions, labels=[short(o["label"]) for o in options], parse_math=False)
    axes.invert_yaxis()
    axes.set_xlim(0, 115)
    axes.set_xlabel("Percentage of people who answered", color=TEXT_COLOUR)
    for position, option, value in zip(positions, options, values, strict=True):
        label = HIDDEN_LABEL if option["percent"] is None else f"{option['percent']:g}%"
        axes.text(value + 1, position, label, va="center", color=TEXT_COLOUR, parse_math=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    with warnings.catch_warnings():
        # A character the bundled font lacks is drawn as a box; the alt text has it right.
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
