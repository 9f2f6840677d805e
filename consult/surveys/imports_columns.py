"""The columns of a survey's import file, and how each cell becomes a form value.

One column per question, headed ``Q<n>: <question text>``, holding the answer as the paper form
shows it. The exceptions:

- multiple choice: one column per option (``Q2: What would help? – Seats``), ticked with an
  ``x`` (or yes, y, 1, true, ✓) and left empty otherwise. One column per option is how paper
  forms are usually keyed in, and no option label (which may contain any character) needs
  splitting out of a list;
- ranking: one column per place (``Q7: Rank the walks. – 1st choice``), each holding an option;
- "Other, please specify": an extra column (``... – other, please specify``) for the text.

Options are written by their labels, in any case. Two more columns say how the response was
collected: ``Channel`` (paper, phone, doorstep or event; paper when empty) and ``Event name``.
They may be left out; every question's columns must be there.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from consult.surveys.kinds import other_option, rank_count
from consult.surveys.models import Channel, Option, Question, QuestionKind, Survey
from consult.surveys.naming import ORDINALS, field_name, other_name, rank_name, short

CHANNEL_HEADER = "Channel"
EVENT_HEADER = "Event name"
IMPORT_CHANNELS = tuple(c for c in Channel if c is not Channel.ONLINE)
TICKED = frozenset({"x", "yes", "y", "1", "true", "✓", "✔"})
UNTICKED = frozenset({"", "no", "n", "0", "false"})


def normal(text: str) -> str:
    """A header or label as compared: case and runs of spaces do not matter."""
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class Column:
    """One column of the file: its header, and the form field its cells go to.

    ``option`` is set for a multiple-choice column (the option a tick chooses); ``choices``
    maps option labels (normalised) to option ids for a column that holds a label.
    """

    header: str
    question: Question
    name: str
    option: Option | None = None
    choices: dict[str, str] = field(default_factory=dict)


def _label_choices(question: Question) -> dict[str, str]:
    return {normal(o.label): str(o.id) for o in question.options}


def heading(question: Question) -> str:
    """How the file and its report name a question."""
    return f"Q{question.position}: {short(question.text)}"


def question_columns(question: Question) -> list[Column]:
    """The columns of one question, in order."""
    head = heading(question)
    kind = question.question_kind
    if kind is QuestionKind.MULTIPLE_CHOICE:
        columns = [
            Column(f"{head} – {o.label}", question, field_name(question), option=o)
            for o in question.options
        ]
    elif kind is QuestionKind.RANKING:
        choices = _label_choices(question)
        # Headers are data, the same in every language: a file made from the template a member
        # downloaded in Polish must match when the worker (in English) reads it.
        with force_locale("en"):
            ordinals = [str(ordinal) for ordinal in ORDINALS]
        return [
            Column(
                f"{head} – {ordinals[n - 1]} choice",
                question,
                rank_name(question, n),
                None,
                choices,
            )
            for n in range(1, rank_count(question) + 1)
        ]
    elif kind.has_options:
        columns = [Column(head, question, field_name(question), None, _label_choices(question))]
    else:
        columns = [Column(head, question, field_name(question))]
    if other_option(question) is not None:
        columns.append(Column(f"{head} – other, please specify", question, other_name(question)))
    return columns


def survey_columns(survey: Survey) -> list[Column]:
    return [column for q in survey.questions for column in question_columns(q)]


def template_csv(survey: Survey) -> str:
    """The file to fill in: just the header row."""
    headers = [c.header for c in survey_columns(survey)] + [CHANNEL_HEADER, EVENT_HEADER]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    return out.getvalue()


@dataclass(frozen=True)
class Layout:
    """Where each column is in the file: the column for each cell position (None: extra)."""

    columns: Sequence[tuple[int, Column]]
    channel_at: int | None
    event_at: int | None


class HeaderError(ValueError):
    """The header row does not match the survey's columns; the message names them."""


def _listed(headers: Sequence[str]) -> str:
    return "; ".join(f"‘{h}’" for h in headers)


def match_header(survey: Survey, header: Sequence[str]) -> Layout:
    """Place each column of the file by its header, in any order; refuse missing, unknown
    or repeated ones, naming them."""
    expected = {normal(c.header): c for c in survey_columns(survey)}
    extras = {normal(CHANNEL_HEADER): CHANNEL_HEADER, normal(EVENT_HEADER): EVENT_HEADER}
    seen: dict[str, int] = {}
    unknown, repeated = [], []
    for index, cell in enumerate(header):
        key = normal(cell)
        if not key:
            continue
        if key in seen:
            repeated.append(cell.strip())
        elif key not in expected and key not in extras:
            unknown.append(cell.strip())
        seen.setdefault(key, index)
    missing = [c.header for key, c in expected.items() if key not in seen]
    problems = []
    if missing:
        problems.append(_("These columns are missing: %(columns)s.", columns=_listed(missing)))
    if unknown:
        problems.append(
            _(
                "These columns are not questions of this survey: %(columns)s.",
                columns=_listed(unknown),
            )
        )
    if repeated:
        problems.append(
            _("These columns appear more than once: %(columns)s.", columns=_listed(repeated))
        )
    if problems:
        problems.append(_("Download the template again and copy your rows into it."))
        raise HeaderError(" ".join(problems))
    return Layout(
        columns=[(seen[key], column) for key, column in expected.items()],
        channel_at=seen.get(normal(CHANNEL_HEADER)),
        event_at=seen.get(normal(EVENT_HEADER)),
    )
