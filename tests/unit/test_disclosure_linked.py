"""Breakdowns suppressed as linked tables, the percentage rule, and differencing between a
group's size and the bases of its breakdowns, checked as properties."""

from __future__ import annotations

import itertools
from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis.differencing import keep_apart
from consult.analysis.disclosure import (
    Cell,
    SuppressedTable,
    is_small,
    safe_percent,
    suppress_counts,
    suppress_linked_table,
    table_with_totals,
)


def published_cells(table: SuppressedTable) -> dict[tuple[int, int], Cell]:
    """Every number of a suppressed table by its position in :func:`table_with_totals`."""
    n_rows, n_columns = len(table.cells), len(table.cells[0])
    cells = {(r, c): cell for r, row in enumerate(table.cells) for c, cell in enumerate(row)}
    cells |= {(r, n_columns): cell for r, cell in enumerate(table.row_totals)}
    cells |= {(n_rows, c): cell for c, cell in enumerate(table.column_totals)}
    cells[(n_rows, n_columns)] = table.grand_total
    return cells


def assert_no_small_difference(
    sizes: list[int], tables: list[SuppressedTable | None], k: int
) -> None:
    """No two numbers published about one group (its size, its bases in ``tables``) differ by
    1 to k - 1: an attacker subtracting any from any other learns no small count."""
    for g, size in enumerate(sizes):
        # A size from 1 to k - 1 is hidden where it is published (who was heard, responses by
        # channel); a base of 0 is published by leaving the group out.
        published = ([] if is_small(size, k) else [size]) + [
            table.row_totals[g].count
            for table in tables
            if table is not None and table.row_totals[g].count is not None
        ]
        for a, b in itertools.combinations(published, 2):
            assert not is_small(abs(a - b), k), (sizes, published)


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
    published = published_cells(table)
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


@st.composite
def groups_answering(draw: st.DrawFn) -> tuple[list[int], list[list[list[int]]]]:
    """Group sizes, and for each question each group's answers (one each), no more than the
    group has people: some of every group may skip every question."""
    n_groups = draw(st.integers(1, 4))
    n_questions = draw(st.integers(1, 3))
    questions = []
    for _ in range(n_questions):
        options = draw(st.integers(1, 3))
        questions.append(
            [
                draw(st.lists(st.integers(0, 12), min_size=options, max_size=options))
                for _ in range(n_groups)
            ]
        )
    sizes = [
        max(sum(question[g]) for question in questions) + draw(st.integers(0, 12))
        for g in range(n_groups)
    ]
    return sizes, questions


@settings(max_examples=300, deadline=None)
@given(data=groups_answering(), k=st.integers(2, 10))
def test_no_small_number_follows_from_a_group_size_and_the_bases_of_its_breakdowns(
    data: tuple[list[int], list[list[list[int]]]], k: int
) -> None:
    """An attacker holds every number the briefing publishes about each group: its size (from
    who was heard or the "About you" question) and how many of it answered each question (the
    bases of the breakdowns). Subtracting any one from another must not give 1 to k - 1, and
    each table must still leave no lone hidden entry in any line."""
    sizes, questions = data
    tables = []
    for rows in questions:
        totals = [sum(row[c] for row in rows) for c in range(len(rows[0]))]
        question = suppress_counts(dict(enumerate(totals)), k, total_shown=True)
        hidden_columns = frozenset(c for c, cell in question.cells.items() if cell.suppressed)
        tables.append(
            partial(suppress_linked_table, rows, k, hidden_columns, question.total.suppressed)
        )
    suppressed = keep_apart(tables, sizes, k)
    assert_no_small_difference(sizes, suppressed, k)
    for rows, table in zip(questions, suppressed, strict=True):
        if table is None:
            continue
        n_rows, n_columns = len(rows), len(rows[0])
        grid = table_with_totals(rows)
        shown = published_cells(table)
        for position, cell in shown.items():
            if not cell.suppressed:
                assert cell.count == grid[position]
        lines = [[(r, c) for c in range(n_columns + 1)] for r in range(n_rows + 1)]
        lines += [[(r, c) for r in range(n_rows + 1)] for c in range(n_columns + 1)]
        for line in lines:
            assert sum(shown[p].suppressed for p in line) != 1


def test_a_base_too_close_to_its_group_size_is_hidden_with_a_complement() -> None:
    # 12 people aged 75 or over, 10 of them answered (k = 5): 12 - 10 = 2 skipped, so 10 is
    # hidden; its row then hides a second number, and its column another base.
    rows = [[6, 4], [20, 15]]
    sizes = [12, 40]
    question = partial(suppress_linked_table, rows, 5, frozenset(), False)
    (table,) = keep_apart([question], sizes, 5)
    assert table is not None
    assert [cell.count for cell in table.row_totals] == [None, None]
    assert [[cell.count for cell in row] for row in table.cells] == [[6, None], [20, None]]
    # Far enough apart, nothing more is hidden.
    (table,) = keep_apart([question], [20, 40], 5)
    assert table is not None and [c.count for c in table.row_totals] == [10, 35]


def test_bases_of_two_questions_are_kept_apart_too() -> None:
    # The same group answered two questions, 30 and 27 of them: 3 answered one and not the
    # other. The larger base stays; the smaller is hidden.
    first = partial(suppress_linked_table, [[15, 15], [20, 20]], 5, frozenset(), False)
    second = partial(suppress_linked_table, [[14, 13], [20, 20]], 5, frozenset(), False)
    one, two = keep_apart([first, second], [None, None], 5)
    assert one is not None and two is not None
    assert one.row_totals[0].count == 30 and two.row_totals[0].count is None
