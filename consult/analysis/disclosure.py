"""Disclosure control: no count below k is shown, and no hidden count can be worked out from totals.

The policy, following UK statistical practice (ONS, UK LLC):

* **Primary suppression.** A count from 1 to k - 1 is hidden. A count of **zero is shown**: it
  describes nobody, and ONS tables publish zeros, so hiding them would cost readers information and
  protect no one. (The exceptions are the cells of a withheld group and complementary cells, below.)
* **Secondary (complementary) suppression.** Where a total is published, a line (a row or column
  together with its total) with exactly one hidden entry would give that entry away by subtraction,
  so the next-smallest visible nonzero cell of the line is hidden too; repeated until no line has
  exactly one hidden entry. This is the simple rule from the project notes: it stops recovery by
  subtraction, not every inference a determined solver could make from bounds.
* **Withheld groups.** In a breakdown, a group (row) with 1 to k - 1 members is withheld whole,
  zeros included, because even its zeros would describe fewer than k people.
* **One label for every hidden number.** A complementary cell may hold 40, so labelling it "fewer
  than 10" would be false; labelling it differently from a small cell would tell a reader which
  hidden number is the small one (1 + 10 = 11 then pins both). So every hidden number reads the
  same, and one note under the table explains it
  (``consult.briefings.published.suppression_note``, in the reader's language).
* **Linked tables.** A breakdown of a question (groups by answers) has the question's own counts
  as its column totals and its base as its grand total, so :func:`suppress_linked_table` hides
  the totals the question's table hides and never uses one it shows as a complement.
  A multiple-choice breakdown (:func:`suppress_linked_columns`) is the same with columns only:
  each answer across the groups adds up to the question's count for it, and the groups' bases
  to its base, but a group's answers do not add up to its base (people tick several).
* **Percentages.** A percentage is published only beside a visible count, of a visible base of
  at least k (see :func:`safe_percent`): it then says nothing the two counts do not, so no
  subtraction of percentages can give more than the counts do, which is never a lone hidden cell.
  A derived share that is not a function of visible counts (a weighted share) is shown only for
  answers whose count is visible, and as a whole number (:func:`whole_share`), so 100 minus the
  visible shares gives at most the combined share of two or more hidden answers.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Generic, TypeVar

from consult.analysis.summary import percent

DEFAULT_THRESHOLD = 10
HIDDEN_LABEL = "hidden"

Key = TypeVar("Key", bound=Hashable)
Position = tuple[int, int]


@dataclass(frozen=True)
class Cell:
    """One published number: its count when visible, None when hidden."""

    count: int | None
    suppressed: bool = False

    @classmethod
    def visible(cls, count: int) -> Cell:
        return cls(count=count, suppressed=False)

    @classmethod
    def hidden(cls) -> Cell:
        # The true count is dropped here, so it can never be rendered by mistake.
        return cls(count=None, suppressed=True)

    def display(self) -> str:
        """The text a reader sees: the count with thousands separators, or the hidden label."""
        if self.suppressed or self.count is None:
            return HIDDEN_LABEL
        return f"{self.count:,}"


def check_threshold(k: int) -> None:
    """Raise ValueError unless k is a whole number of at least 1."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(
            f"the disclosure threshold must be a whole number of at least 1, not {k!r}"
        )


def is_small(count: int, k: int) -> bool:
    """True when a count must be hidden on its own: 1 to k - 1 (zero describes nobody)."""
    return 0 < count < k


@dataclass(frozen=True)
class SuppressedCounts(Generic[Key]):
    """A one-way table (a question's options) ready to publish."""

    cells: Mapping[Key, Cell]
    total: Cell


@dataclass(frozen=True)
class SuppressedTable:
    """A two-way table (groups by options) ready to publish, with its row and column totals.

    ``withheld_rows`` are groups with 1 to k - 1 members: every cell and the total of such a row is
    hidden, and a briefing should leave the row out and say why.
    """

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    grand_total: Cell
    withheld_rows: frozenset[int]

    @property
    def suppressed_cells(self) -> frozenset[Position]:
        """(row, column) of every hidden cell in the body of the table."""
        return frozenset(
            (row, column)
            for row, cells in enumerate(self.cells)
            for column, cell in enumerate(cells)
            if cell.suppressed
        )


def suppress_counts(
    counts: Mapping[Key, int], k: int = DEFAULT_THRESHOLD, total_shown: bool = True
) -> SuppressedCounts[Key]:
    """Hide a one-way table's small counts, and a complement when the total is published.

    Pass ``total_shown=False`` when no total that the counts add up to is published (a
    multiple-choice question, whose base is people, not ticks): then only small counts are hidden.
    Keys keep their order. Visible counts are the input counts, unchanged.
    """
    check_threshold(k)
    keys = list(counts)
    values = [_check_count(counts[key]) for key in keys]
    total = sum(values)
    # The table is one line: the cells at (0, i) and the total at (0, len).
    grid = {(0, i): value for i, value in enumerate(values)} | {(0, len(values)): total}
    hidden = {position for position, value in grid.items() if is_small(value, k)}
    if total_shown:
        line = [(0, i) for i in range(len(values) + 1)]
        hidden = set(protect_lines(grid, [line], hidden, totals={(0, len(values))}))
    cells = {key: _cell(values[i], (0, i) in hidden) for i, key in enumerate(keys)}
    return SuppressedCounts(cells=cells, total=_cell(total, (0, len(values)) in hidden))


def suppress_table(rows: Sequence[Sequence[int]], k: int = DEFAULT_THRESHOLD) -> SuppressedTable:
    """Hide a two-way table's small counts and enough complements that totals give none away.

    ``rows`` are groups and columns are options; row, column and grand totals are published.
    Promises: no visible cell or total is from 1 to k - 1; every row and column (with its total)
    has no hidden entry or at least two; visible counts are the input counts; the same input
    always gives the same output.
    """
    check_threshold(k)
    grid = table_with_totals(rows)
    n_rows, n_columns = len(rows), len(rows[0])
    hidden = {position for position, value in grid.items() if is_small(value, k)}
    withheld = frozenset(row for row in range(n_rows) if is_small(grid[(row, n_columns)], k))
    hidden |= {(row, column) for row in withheld for column in range(n_columns + 1)}
    hidden = set(protect_table(rows, hidden))
    return SuppressedTable(
        cells=tuple(
            tuple(_cell(grid[(r, c)], (r, c) in hidden) for c in range(n_columns))
            for r in range(n_rows)
        ),
        row_totals=tuple(
            _cell(grid[(r, n_columns)], (r, n_columns) in hidden) for r in range(n_rows)
        ),
        column_totals=tuple(
            _cell(grid[(n_rows, c)], (n_rows, c) in hidden) for c in range(n_columns)
        ),
        grand_total=_cell(grid[(n_rows, n_columns)], (n_rows, n_columns) in hidden),
        withheld_rows=withheld,
    )


def suppress_linked_table(
    rows: Sequence[Sequence[int]],
    k: int,
    hidden_columns: AbstractSet[int],
    base_hidden: bool,
    hidden_totals: AbstractSet[int] = frozenset(),
) -> SuppressedTable | None:
    """:func:`suppress_table` for a breakdown whose column totals and grand total are published
    elsewhere, already suppressed: those hidden there (``hidden_columns``, ``base_hidden``) are
    hidden here, and those shown there are never hidden here as complements (everyone can read
    them). ``hidden_totals`` are rows whose total must be hidden as well, because another
    published number would give it away by subtraction. None when no complement can protect the
    table: then it must be left out whole.
    """
    check_threshold(k)
    grid = table_with_totals(rows)
    n_rows, n_columns = len(rows), len(rows[0])
    lines = [[(r, c) for c in range(n_columns + 1)] for r in range(n_rows + 1)]
    lines += [[(r, c) for r in range(n_rows + 1)] for c in range(n_columns + 1)]
    return _suppress_linked(
        grid, (n_rows, n_columns), lines, k, hidden_columns, base_hidden, hidden_totals
    )


def suppress_linked_columns(
    rows: Sequence[Sequence[int]],
    bases: Sequence[int],
    k: int,
    hidden_columns: AbstractSet[int],
    base_hidden: bool,
    hidden_totals: AbstractSet[int] = frozenset(),
) -> SuppressedTable | None:
    """:func:`suppress_linked_table` for a breakdown of a multiple-choice question: a row's
    cells are how many of the group chose each answer, and its "total" is the group's base
    (``bases``: how many of the group answered), which the cells need not add up to, since
    each person can choose several answers. So only columns are lines: each answer across the
    groups adds up to the question's own count for it, and the bases to the question's base.
    """
    check_threshold(k)
    if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("a table needs at least one row and one column, all rows the same length")
    if len(bases) != len(rows):
        raise ValueError("a table needs one base for each row")
    n_rows, n_columns = len(rows), len(rows[0])
    grid = {(r, c): _check_count(rows[r][c]) for r in range(n_rows) for c in range(n_columns)}
    for r in range(n_rows):
        grid[(r, n_columns)] = _check_count(bases[r])
        if any(grid[(r, c)] > bases[r] for c in range(n_columns)):
            raise ValueError("no more people can choose an answer than answered")
    for c in range(n_columns + 1):
        grid[(n_rows, c)] = sum(grid[(r, c)] for r in range(n_rows))
    lines = [[(r, c) for r in range(n_rows + 1)] for c in range(n_columns + 1)]
    return _suppress_linked(
        grid, (n_rows, n_columns), lines, k, hidden_columns, base_hidden, hidden_totals
    )


def _suppress_linked(
    grid: Mapping[Position, int],
    shape: Position,
    lines: Sequence[Sequence[Position]],
    k: int,
    hidden_columns: AbstractSet[int],
    base_hidden: bool,
    hidden_totals: AbstractSet[int],
) -> SuppressedTable | None:
    """Primary suppression, withheld groups and complements on ``lines`` of a linked table
    (``grid`` with its totals in row ``shape[0]`` and column ``shape[1]``)."""
    n_rows, n_columns = shape
    hidden = {position for position, value in grid.items() if is_small(value, k)}
    hidden |= {(row, n_columns) for row in hidden_totals}
    withheld = frozenset(row for row in range(n_rows) if is_small(grid[(row, n_columns)], k))
    hidden |= {(row, column) for row in withheld for column in range(n_columns + 1)}
    forced = {(n_rows, c) for c in hidden_columns} | (
        {(n_rows, n_columns)} if base_hidden else set()
    )
    known = {(n_rows, c) for c in range(n_columns + 1)} - forced
    hidden = (hidden - known) | forced
    totals = {p for p in grid if p[0] == n_rows or p[1] == n_columns}
    protected = protect_lines(grid, lines, hidden, totals, locked=known)
    if any(sum(p in protected for p in line) == 1 for line in lines):
        return None
    return SuppressedTable(
        cells=tuple(
            tuple(_cell(grid[(r, c)], (r, c) in protected) for c in range(n_columns))
            for r in range(n_rows)
        ),
        row_totals=tuple(
            _cell(grid[(r, n_columns)], (r, n_columns) in protected) for r in range(n_rows)
        ),
        column_totals=tuple(
            _cell(grid[(n_rows, c)], (n_rows, c) in protected) for c in range(n_columns)
        ),
        grand_total=_cell(grid[(n_rows, n_columns)], (n_rows, n_columns) in protected),
        withheld_rows=withheld,
    )


def table_with_totals(rows: Sequence[Sequence[int]]) -> dict[Position, int]:
    """The table with its totals: row ``len(rows)`` holds column totals, the last column row totals.

    Raises ValueError for an empty or ragged table or a count that is not a whole number >= 0.
    """
    if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("a table needs at least one row and one column, all rows the same length")
    n_rows, n_columns = len(rows), len(rows[0])
    grid = {(r, c): _check_count(rows[r][c]) for r in range(n_rows) for c in range(n_columns)}
    for r in range(n_rows):
        grid[(r, n_columns)] = sum(grid[(r, c)] for c in range(n_columns))
    for c in range(n_columns + 1):
        grid[(n_rows, c)] = sum(grid[(r, c)] for r in range(n_rows))
    return grid


def protect_table(
    rows: Sequence[Sequence[int]], hidden: AbstractSet[Position]
) -> frozenset[Position]:
    """Add complementary suppressions to ``hidden`` (positions in ``table_with_totals``).

    Idempotent: protecting an already protected pattern returns it unchanged.
    """
    grid = table_with_totals(rows)
    n_rows, n_columns = len(rows), len(rows[0])
    lines = [[(r, c) for c in range(n_columns + 1)] for r in range(n_rows + 1)]
    lines += [[(r, c) for r in range(n_rows + 1)] for c in range(n_columns + 1)]
    totals = {p for p in grid if p[0] == n_rows or p[1] == n_columns}
    return protect_lines(grid, lines, hidden, totals)


def protect_lines(
    values: Mapping[Position, int],
    lines: Sequence[Sequence[Position]],
    hidden: AbstractSet[Position],
    totals: AbstractSet[Position],
    locked: AbstractSet[Position] = frozenset(),
) -> frozenset[Position]:
    """Hide complements until no line (entries that add up to a published total) has exactly one
    hidden entry. Lines are visited in order and ties go to the first position, so the result is
    deterministic. ``locked`` entries are never chosen as complements (they are public anyway);
    a line that only locked entries could protect is left as it is, for the caller to check."""
    protected = set(hidden)
    changed = True
    while changed:
        changed = False
        for line in lines:
            complement = _complement(line, values, protected, totals, locked)
            if complement is not None:
                protected.add(complement)
                changed = True
    return frozenset(protected)


def _complement(
    line: Sequence[Position],
    values: Mapping[Position, int],
    hidden: AbstractSet[Position],
    totals: AbstractSet[Position],
    locked: AbstractSet[Position] = frozenset(),
) -> Position | None:
    """The entry to hide beside a line's lone hidden entry, or None when the line is safe (or
    only locked entries are left)."""
    if sum(position in hidden for position in line) != 1:
        return None
    visible = [p for p in line if p not in hidden and p not in locked]
    if not visible:
        return None

    # Prefer the smallest nonzero cell (least information lost, and a hidden zero protects less);
    # a zero cell next; a total last, because hiding a total spreads suppression to other lines.
    def cost(position: Position) -> tuple[bool, bool, int, Position]:
        return (position in totals, values[position] == 0, values[position], position)

    return min(visible, key=cost)


def safe_percent(count: int | Cell, base: int, k: int = DEFAULT_THRESHOLD) -> float | None:
    """``count`` as a percentage of ``base`` (one decimal place), or None when it may not be shown.

    None when the base is below k, when the count is hidden, or when the count is itself 1 to
    k - 1: a percentage of a known base gives the count back.
    """
    check_threshold(k)
    if isinstance(count, Cell):
        if count.suppressed or count.count is None:
            return None
        count = count.count
    if base < k or is_small(count, k):
        return None
    return percent(count, base)


def whole_share(share: float) -> int:
    """A share (0 to 1) as a whole percentage, halves rounded up (not to even)."""
    return math.floor(round(share * 100, 6) + 0.5)


def safe_mean(values_sum: float, n: int, k: int = DEFAULT_THRESHOLD) -> float | None:
    """The mean of ``n`` values adding up to ``values_sum``, or None when n is below k."""
    check_threshold(k)
    if n < k:
        return None
    return values_sum / n


def _cell(value: int, hidden: bool) -> Cell:
    return Cell.hidden() if hidden else Cell.visible(value)


def _check_count(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a count must be a whole number of at least 0, not {value!r}")
    return value
