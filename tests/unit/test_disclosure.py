"""Disclosure control: small counts hidden, hidden counts not recoverable from totals."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis.disclosure import (
    HIDDEN_LABEL,
    Cell,
    SuppressedTable,
    protect_table,
    safe_mean,
    safe_percent,
    suppress_counts,
    suppress_table,
    table_with_totals,
)


def visible_counts(cells: dict[str, Cell]) -> dict[str, int | None]:
    return {key: cell.count for key, cell in cells.items()}


# --- cells --------------------------------------------------------------------------------------


def test_a_hidden_cell_keeps_no_count_and_reads_hidden() -> None:
    assert Cell.hidden() == Cell(count=None, suppressed=True)
    assert Cell.hidden().display() == HIDDEN_LABEL
    assert Cell.visible(1234).display() == "1,234"
    assert Cell.visible(0).display() == "0"


@pytest.mark.parametrize("k", [0, -1, 2.5, True, "10"])
def test_a_threshold_must_be_a_whole_number_of_at_least_one(k: object) -> None:
    with pytest.raises(ValueError, match="threshold"):
        suppress_counts({"Yes": 12}, k)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, 2.0, None])
def test_a_count_must_be_a_whole_number(bad: object) -> None:
    with pytest.raises(ValueError, match="count"):
        suppress_counts({"Yes": bad}, 10)  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="count"):
        suppress_table([[12, bad]], 10)  # type: ignore[list-item]


# --- one-way tables -----------------------------------------------------------------------------


def test_nothing_is_hidden_when_every_count_is_large_or_zero() -> None:
    result = suppress_counts({"Yes": 40, "No": 12, "Unsure": 0}, 10)
    assert visible_counts(dict(result.cells)) == {"Yes": 40, "No": 12, "Unsure": 0}
    assert result.total == Cell.visible(52)


def test_one_small_count_takes_the_next_smallest_nonzero_count_with_it() -> None:
    # With the total shown, hiding 3 alone would leave 55 - 40 - 12 = 3 for anyone to work out.
    result = suppress_counts({"Yes": 40, "No": 12, "Unsure": 3, "Never": 0}, 10)
    assert visible_counts(dict(result.cells)) == {"Yes": 40, "No": None, "Unsure": None, "Never": 0}
    assert result.total == Cell.visible(55)


def test_two_small_counts_protect_each_other() -> None:
    result = suppress_counts({"Yes": 40, "No": 4, "Unsure": 3}, 10)
    assert visible_counts(dict(result.cells)) == {"Yes": 40, "No": None, "Unsure": None}


def test_without_a_published_total_only_small_counts_are_hidden() -> None:
    result = suppress_counts({"Buses": 40, "Parks": 12, "Bins": 3}, 10, total_shown=False)
    assert visible_counts(dict(result.cells)) == {"Buses": 40, "Parks": 12, "Bins": None}


def test_a_small_total_is_hidden_with_everything_in_it() -> None:
    result = suppress_counts({"Yes": 6, "No": 0}, 10)
    assert visible_counts(dict(result.cells)) == {"Yes": None, "No": 0}
    assert result.total.suppressed


def test_a_threshold_of_one_hides_nothing() -> None:
    result = suppress_counts({"Yes": 1, "No": 2}, 1)
    assert visible_counts(dict(result.cells)) == {"Yes": 1, "No": 2}


def test_ties_are_broken_by_order_so_the_result_is_the_same_every_time() -> None:
    counts = {"A": 20, "B": 20, "C": 2}
    first = suppress_counts(counts, 10)
    assert visible_counts(dict(first.cells)) == {"A": None, "B": 20, "C": None}
    assert suppress_counts(counts, 10) == first


# --- two-way tables -----------------------------------------------------------------------------


def test_a_breakdown_hides_a_rectangle_around_one_small_cell() -> None:
    # Age groups by answer. The 4 forces a complement in its row and in its column, and those
    # force a fourth cell, so every row and column keeps two hidden cells.
    table = suppress_table([[30, 4, 25], [20, 15, 40], [22, 35, 48]], 10)
    assert table.suppressed_cells == {(0, 1), (0, 2), (1, 1), (1, 2)}
    assert table.withheld_rows == frozenset()
    assert [cell.count for cell in table.row_totals] == [59, 75, 105]
    assert [cell.count for cell in table.column_totals] == [72, 54, 113]
    assert table.grand_total == Cell.visible(239)


def test_complements_follow_the_smallest_cell_line_by_line() -> None:
    # The simple rule is greedy: column 2 takes the 18, which then needs a partner in row 2.
    table = suppress_table([[30, 4, 25], [20, 15, 40], [22, 35, 18]], 10)
    assert table.suppressed_cells == {(0, 1), (0, 2), (1, 1), (2, 2), (1, 0), (2, 0)}


def test_a_small_group_is_withheld_whole_and_protected_in_its_columns() -> None:
    table = suppress_table([[3, 0, 2], [30, 12, 25], [20, 15, 40]], 10)
    assert table.withheld_rows == {0}
    assert all(cell.suppressed for cell in table.cells[0])
    assert table.row_totals[0].suppressed
    assert_no_line_has_a_lone_hidden_entry(table)


def test_a_small_grand_total_hides_the_whole_table() -> None:
    table = suppress_table([[2, 1], [3, 0]], 10)
    assert table.withheld_rows == {0, 1}
    assert table.grand_total.suppressed
    assert all(cell.suppressed for row in table.cells for cell in row)


def test_a_single_column_table_hides_row_totals_that_repeat_a_hidden_cell() -> None:
    table = suppress_table([[3], [20], [30]], 10)
    assert table.suppressed_cells == {(0, 0), (1, 0)}
    assert table.row_totals[1].suppressed
    assert_no_line_has_a_lone_hidden_entry(table)


@pytest.mark.parametrize("rows", [[], [[]], [[1, 2], [3]]])
def test_a_table_must_be_rectangular_and_not_empty(rows: list[list[int]]) -> None:
    with pytest.raises(ValueError, match="table"):
        suppress_table(rows, 10)


# --- percentages and means ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "base", "expected"),
    [
        (12, 40, 30.0),
        (0, 40, 0.0),
        (3, 40, None),  # 7.5 % of a known 40 gives back the 3
        (9, 9, None),  # base below k
        (Cell.hidden(), 40, None),
        (Cell.visible(20), 40, 50.0),
    ],
)
def test_safe_percent(count: int | Cell, base: int, expected: float | None) -> None:
    assert safe_percent(count, base, 10) == expected


def test_safe_mean_needs_k_values() -> None:
    assert safe_mean(36.0, 9, 10) is None
    assert safe_mean(0.0, 0, 10) is None
    assert safe_mean(35.0, 10, 10) == 3.5


# --- properties on random tables ----------------------------------------------------------------

thresholds = st.integers(min_value=1, max_value=15)
counts = st.integers(min_value=0, max_value=50)


@st.composite
def tables(draw: st.DrawFn) -> list[list[int]]:
    n_rows = draw(st.integers(min_value=1, max_value=6))
    n_columns = draw(st.integers(min_value=1, max_value=6))
    row = st.lists(counts, min_size=n_columns, max_size=n_columns)
    return draw(st.lists(row, min_size=n_rows, max_size=n_rows))


def published(table: SuppressedTable) -> list[list[Cell]]:
    """The table as printed: the body with row totals, then the column totals and grand total."""
    body = [[*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)]
    return [*body, [*table.column_totals, table.grand_total]]


def assert_no_line_has_a_lone_hidden_entry(table: SuppressedTable) -> None:
    grid = published(table)
    lines = [*grid, *zip(*grid, strict=True)]
    for line in lines:
        assert sum(cell.suppressed for cell in line) != 1, line


@settings(deadline=None)
@given(tables(), thresholds)
def test_no_visible_number_is_small(rows: list[list[int]], k: int) -> None:
    for line in published(suppress_table(rows, k)):
        for cell in line:
            assert cell.suppressed or not 0 < (cell.count or 0) < k


@settings(deadline=None)
@given(tables(), thresholds)
def test_no_hidden_cell_can_be_worked_out_from_the_totals(rows: list[list[int]], k: int) -> None:
    table = suppress_table(rows, k)
    hidden = table.suppressed_cells
    for r, row in enumerate(table.cells):
        in_row = [c for c in range(len(row)) if (r, c) in hidden]
        assert len(in_row) != 1 or table.row_totals[r].suppressed
    for c, column_total in enumerate(table.column_totals):
        in_column = [r for r in range(len(rows)) if (r, c) in hidden]
        assert len(in_column) != 1 or column_total.suppressed
    # Stronger: the totals themselves, as a row and a column, cannot be solved either.
    assert_no_line_has_a_lone_hidden_entry(table)


@settings(deadline=None)
@given(tables(), thresholds)
def test_suppression_is_deterministic_and_idempotent(rows: list[list[int]], k: int) -> None:
    table = suppress_table(rows, k)
    assert suppress_table([list(row) for row in rows], k) == table
    n_rows, n_columns = len(rows), len(rows[0])
    pattern = {
        (r, c)
        for r, line in enumerate(published(table))
        for c, cell in enumerate(line)
        if cell.suppressed
    }
    assert protect_table(rows, pattern) == pattern
    assert all((r, n_columns) in pattern for r in table.withheld_rows)
    assert len(pattern) <= (n_rows + 1) * (n_columns + 1)


@settings(deadline=None)
@given(tables(), thresholds)
def test_visible_numbers_are_the_input_numbers(rows: list[list[int]], k: int) -> None:
    grid = table_with_totals(rows)
    for r, line in enumerate(published(suppress_table(rows, k))):
        for c, cell in enumerate(line):
            assert cell.count == (None if cell.suppressed else grid[(r, c)])


@settings(deadline=None)
@given(tables(), thresholds)
def test_withheld_groups_are_exactly_the_small_ones(rows: list[list[int]], k: int) -> None:
    table = suppress_table(rows, k)
    assert table.withheld_rows == {r for r, row in enumerate(rows) if 0 < sum(row) < k}


@settings(deadline=None)
@given(st.lists(counts, min_size=1, max_size=8), thresholds)
def test_a_one_way_table_is_safe(values: Sequence[int], k: int) -> None:
    result = suppress_counts({f"option {i}": value for i, value in enumerate(values)}, k)
    cells = [*result.cells.values(), result.total]
    assert sum(cell.suppressed for cell in cells) != 1
    for value, cell in zip([*values, sum(values)], cells, strict=True):
        assert cell.count == (None if cell.suppressed else value)
        assert cell.suppressed or not 0 < value < k
