"""Differencing between tables: two published numbers about the same group of people must not
differ by 1 to k - 1.

A breakdown publishes, for each group, how many of it answered the question (its base). The
group's size is published elsewhere in the same briefing (who was heard, the "About you"
question's own table, responses by channel), and so are the group's bases for other questions.
When one of those sets of people holds another (everyone in the group holds those who answered;
a question shown only after another holds fewer), subtracting one number from the other counts
the people in between: "2 people aged 75 or over did not answer". Each table can be safe on its
own and still give that away. So, for each group, the numbers published about it are kept at
least k apart: a base too close to the group's size or to another base already published is
hidden, and its table protects it with complements like any other hidden number.

What is not covered: how many of *all* respondents skipped a question (the survey's responses
less the question's base) is published, as survey reports give "n missing": it describes no
group, only non-response. Sums of hidden numbers remain derivable, as with any secondary
suppression, but never a single one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet

from consult.analysis.disclosure import SuppressedTable, check_threshold, is_small


def too_close(size: int | None, bases: Sequence[int | None], k: int) -> frozenset[int]:
    """Positions of ``bases`` to hide so that no two of the published numbers about one group,
    its ``size`` (None when not published) and the visible bases (None: hidden already), differ
    by 1 to k - 1. Larger bases are kept first, ties by position, so the result is the same for
    the same input; zeros are never hidden (a group with nobody answering is left out anyway).
    """
    check_threshold(k)
    kept = [] if size is None else [size]
    hide = set()
    visible = [i for i, base in enumerate(bases) if base]
    for index in sorted(visible, key=lambda i: (-(bases[i] or 0), i)):
        base = bases[index] or 0
        if any(is_small(abs(base - other), k) for other in kept):
            hide.add(index)
        else:
            kept.append(base)
    return frozenset(hide)


Suppress = Callable[[AbstractSet[int]], SuppressedTable | None]


def keep_apart(
    tables: Sequence[Suppress], sizes: Sequence[int | None], k: int
) -> list[SuppressedTable | None]:
    """Suppress tables that break the same groups (their rows, in order) down, so that for each
    group its ``sizes`` entry (None when not published) and its row totals in every table are
    pairwise equal or at least k apart.

    Each table is given as a function of the rows whose totals it must hide as well (for
    example :func:`consult.analysis.disclosure.suppress_linked_table` with ``hidden_totals``),
    returning the suppressed table or None when it cannot be published. Totals too close are
    added to those rows and the tables suppressed again until none is: hidden totals only grow,
    so this ends.
    """
    hidden: list[set[int]] = [set() for _ in tables]
    while True:
        results = [suppress(frozenset(rows)) for suppress, rows in zip(tables, hidden, strict=True)]
        closer = False
        for row, size in enumerate(sizes):
            shown = [None if table is None else table.row_totals[row].count for table in results]
            for index in too_close(size, shown, k):
                hidden[index].add(row)
                closer = True
        if not closer:
            return results
