"""Multiple-choice breakdowns: each answer across the groups is its own table with a total,
and the groups' bases are one more; checked by hand and as properties on random tables."""

from __future__ import annotations

from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis.differencing import keep_apart
from consult.analysis.disclosure import (
    Cell,
    is_small,
    safe_percent,
    suppress_counts,
    suppress_linked_columns,
)
from tests.unit.test_disclosure_linked import assert_no_small_difference, published_cells


def counts(cells: tuple[Cell, ...]) -> list[int | None]:
    return [cell.count for cell in cells]


def test_a_multiple_choice_breakdown_worked_by_hand() -> None:
    # Three groups; how many of each answered, and how many chose Seats and Lights (k = 5).
    rows = [[12, 3], [8, 9], [2, 2]]
    bases = [14, 15, 3]
    question = suppress_counts({0: 22, 1: 14}, 5, total_shown=False)
    assert not any(cell.suppressed for cell in question.cells.values())
    table = suppress_linked_columns(rows, bases, 5, hidden_columns=set(), base_hidden=False)
    assert table is not None
    # The third group (3 people) is withheld whole. Seats: 2 is hidden, so 8 (the smallest
    # other) goes too; Lights: 3 and 2 are both small. Bases: 3 is hidden, so 14 goes too.
    assert table.withheld_rows == {2}
    assert [counts(row) for row in table.cells] == [[12, None], [None, 9], [None, None]]
    assert counts(table.row_totals) == [None, 15, None]
    assert counts(table.column_totals) == [22, 14]
    assert table.grand_total.count == 32
    # Percentages are of the group's visible base: Lights for the second group is 9 of 15.
    assert safe_percent(table.cells[1][1], 15, 5) == 60.0


def test_a_base_that_only_a_published_total_could_protect_withholds_the_table() -> None:
    # Two groups whose bases must both be hidden as complements can be published...
    table = suppress_linked_columns([[12], [15]], [12, 20], 5, set(), False, hidden_totals={0})
    assert table is not None
    assert counts(table.row_totals) == [None, None] and table.grand_total.count == 32
    # ...but one group's base is the question's own (published): hiding it cannot work.
    assert suppress_linked_columns([[12]], [12], 5, set(), False, hidden_totals={0}) is None


@pytest.mark.parametrize(
    ("rows", "bases"),
    [([[1, 2]], [1]), ([[1]], [1, 2]), ([[1], [2, 3]], [3, 3]), ([[-1]], [2])],
)
def test_impossible_tables_are_refused(rows: list[list[int]], bases: list[int]) -> None:
    with pytest.raises(ValueError, match=r"."):
        suppress_linked_columns(rows, bases, 5, set(), False)


@st.composite
def multiple_choice(draw: st.DrawFn) -> tuple[list[list[int]], list[int]]:
    """Groups with how many answered and, for each answer, how many of them chose it."""
    options = draw(st.integers(1, 4))
    groups = draw(st.integers(1, 5))
    bases = draw(st.lists(st.integers(0, 25), min_size=groups, max_size=groups))
    rows = [
        draw(st.lists(st.integers(0, base), min_size=options, max_size=options)) for base in bases
    ]
    return rows, bases


@settings(max_examples=300, deadline=None)
@given(data=multiple_choice(), k=st.integers(2, 10))
def test_each_answer_across_the_groups_is_protected_like_a_table_with_its_total(
    data: tuple[list[list[int]], list[int]], k: int
) -> None:
    rows, bases = data
    n_rows, n_columns = len(rows), len(rows[0])
    column_totals = [sum(row[c] for row in rows) for c in range(n_columns)]
    # The question's own table: a multiple-choice question's answers do not add up to its base,
    # so only small counts are hidden there, and the base on its own.
    question = suppress_counts(dict(enumerate(column_totals)), k, total_shown=False)
    hidden_columns = {c for c, cell in question.cells.items() if cell.suppressed}
    base_hidden = is_small(sum(bases), k)
    table = suppress_linked_columns(rows, bases, k, hidden_columns, base_hidden)
    if table is None:
        return
    grid = {(r, c): rows[r][c] for r in range(n_rows) for c in range(n_columns)}
    grid |= {(r, n_columns): bases[r] for r in range(n_rows)}
    grid |= {(n_rows, c): column_totals[c] for c in range(n_columns)}
    grid[(n_rows, n_columns)] = sum(bases)
    shown = published_cells(table)
    # The totals row says what the question's own table says.
    for c, cell in question.cells.items():
        assert shown[(n_rows, c)].suppressed == cell.suppressed
    assert shown[(n_rows, n_columns)].suppressed == base_hidden
    # Visible numbers are true and never 1 to k - 1; groups below k are withheld whole.
    for position, cell in shown.items():
        if not cell.suppressed:
            assert cell.count == grid[position] and not is_small(grid[position], k)
    for r in range(n_rows):
        if is_small(bases[r], k):
            assert r in table.withheld_rows
            assert all(shown[(r, c)].suppressed for c in range(n_columns + 1))
        # A percentage needs a visible base of at least k.
        base = shown[(r, n_columns)].count or 0
        for c in range(n_columns):
            percent = safe_percent(shown[(r, c)], base, k)
            if percent is not None:
                assert base >= k and shown[(r, c)].count is not None
    # Each answer, and the bases, across the groups with their total: never one hidden entry,
    # so subtraction from the total gives no hidden number back.
    for c in range(n_columns + 1):
        line = [(r, c) for r in range(n_rows + 1)]
        assert sum(shown[p].suppressed for p in line) != 1, (c, rows, bases)


@st.composite
def groups_ticking(draw: st.DrawFn) -> tuple[list[int], list[tuple[list[list[int]], list[int]]]]:
    """Group sizes, and for each multiple-choice question each group's base (no more than the
    group) and ticks per answer (no more than the base)."""
    n_groups = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(0, 30), min_size=n_groups, max_size=n_groups))
    questions = []
    for _ in range(draw(st.integers(1, 3))):
        options = draw(st.integers(1, 3))
        bases = [draw(st.integers(0, size)) for size in sizes]
        rows = [
            draw(st.lists(st.integers(0, base), min_size=options, max_size=options))
            for base in bases
        ]
        questions.append((rows, bases))
    return sizes, questions


@settings(max_examples=300, deadline=None)
@given(data=groups_ticking(), k=st.integers(2, 10))
def test_multiple_choice_bases_are_kept_apart_from_group_sizes_and_each_other(
    data: tuple[list[int], list[tuple[list[list[int]], list[int]]]], k: int
) -> None:
    sizes, questions = data
    tables = []
    for rows, bases in questions:
        totals = [sum(row[c] for row in rows) for c in range(len(rows[0]))]
        question = suppress_counts(dict(enumerate(totals)), k, total_shown=False)
        hidden = frozenset(c for c, cell in question.cells.items() if cell.suppressed)
        tables.append(
            partial(suppress_linked_columns, rows, bases, k, hidden, is_small(sum(bases), k))
        )
    suppressed = keep_apart(tables, sizes, k)
    assert_no_small_difference(sizes, suppressed, k)
    for (rows, _), table in zip(questions, suppressed, strict=True):
        if table is None:
            continue
        shown = published_cells(table)
        n_rows, n_columns = len(rows), len(rows[0])
        for c in range(n_columns + 1):
            line = [(r, c) for r in range(n_rows + 1)]
            assert sum(shown[p].suppressed for p in line) != 1
