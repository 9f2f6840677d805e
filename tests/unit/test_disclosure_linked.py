"""Breakdowns suppressed as linked tables, and the percentage rule, checked as properties."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis.disclosure import (
    is_small,
    safe_percent,
    suppress_counts,
    suppress_linked_table,
    table_with_totals,
)

tables = st.integers(1, 4).flatmap(
    lambda columns: st.lists(
        st.lists(st.integers(0, 25), min_size=columns, max_size=columns), min_size=1, max_size=5
    )
)


@settings(max_examples=300, deadline=None)
@given(rows=tables, k=st.integers(2, 10))
def test_a_breakdown_hides_what_its_question_hides_and_leaves_no_lone_hidden_entry(
    rows: list[list[int]], k: int
) -> None:
    n_rows, n_columns = len(rows), len(rows[0])
    column_totals = [sum(row[c] for row in rows) for c in range(n_columns)]
    question = suppress_counts(dict(enumerate(column_totals)), k, total_shown=True)
    hidden_columns = {c for c, cell in question.cells.items() if cell.suppressed}
    table = suppress_linked_table(rows, k, hidden_columns, question.total.suppressed)
    if table is None:
        return
    grid = table_with_totals(rows)
    published = {
        (r, c): cell for r, cells in enumerate(table.cells) for c, cell in enumerate(cells)
    }
    published |= {(r, n_columns): cell for r, cell in enumerate(table.row_totals)}
    published |= {(n_rows, c): cell for c, cell in enumerate(table.column_totals)}
    published[(n_rows, n_columns)] = table.grand_total
    # What the question's own table shows is known to every reader, whatever this table says.
    for c, cell in question.cells.items():
        assert published[(n_rows, c)].suppressed == cell.suppressed
    assert published[(n_rows, n_columns)].suppressed == question.total.suppressed
    for position, cell in published.items():
        if not cell.suppressed:
            assert cell.count == grid[position] and not is_small(grid[position], k)
    lines = [[(r, c) for c in range(n_columns + 1)] for r in range(n_rows + 1)]
    lines += [[(r, c) for r in range(n_rows + 1)] for c in range(n_columns + 1)]
    for line in lines:
        assert sum(published[p].suppressed for p in line) != 1, line


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(st.integers(0, 12), min_size=2, max_size=4), k=st.integers(2, 6))
def test_no_hidden_count_can_be_recovered_from_the_published_counts_and_percentages(
    counts: list[int], k: int
) -> None:
    """An attacker who knows every published count and percentage (and the base, if shown)
    tries every possible value of the hidden counts: each hidden count has at least two."""
    table = suppress_counts(dict(enumerate(counts)), k, total_shown=True)
    base = sum(counts)
    shown_base = None if table.total.suppressed else base
    percents = {i: safe_percent(cell, shown_base or 0, k) for i, cell in table.cells.items()}
    hidden = [i for i, cell in table.cells.items() if cell.suppressed]
    if not hidden:
        return
    possible: dict[int, set[int]] = {i: set() for i in hidden}
    limit = base + 12
    for guess in itertools.product(range(limit + 1), repeat=len(hidden)):
        values = {i: (c.count or 0) for i, c in table.cells.items()} | dict(
            zip(hidden, guess, strict=True)
        )
        total = sum(values.values())
        if shown_base is not None and total != shown_base:
            continue
        if any(
            p is not None and safe_percent(values[i], total, k) != p for i, p in percents.items()
        ):
            continue
        for i in hidden:
            possible[i].add(values[i])
    for i in hidden:
        assert counts[i] in possible[i]
        assert len(possible[i]) >= 2, (counts, k, possible)
