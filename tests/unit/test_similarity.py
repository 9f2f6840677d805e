"""Finding ideas like a new one, without a database."""

from __future__ import annotations

from consult.ideas.similarity import most_similar, words

IDEAS = [
    (1, "More bins in the park. There is litter everywhere near the playground."),
    (2, "A youth club on Friday nights for teenagers."),
    (3, "Fix the broken street lights on Mill Lane."),
    (4, "Litter picking days with volunteers."),
]


def test_words_drop_stop_words_and_plurals() -> None:
    assert words("The BINS and the bin, 42 lights!") == ["bin", "bin", "light"]


def test_the_closest_idea_comes_first() -> None:
    ranked = most_similar("Litter picking in the park", IDEAS)
    assert [idea_id for idea_id, _ in ranked] == [4, 1]
    assert ranked[0][1] > ranked[1][1] >= 0.2


def test_unrelated_text_finds_nothing() -> None:
    assert most_similar("Bus shelter on the high street", IDEAS) == []


def test_limit_and_threshold() -> None:
    many = [(n, "street lights are broken") for n in range(10)]
    assert len(most_similar("broken street lights", many, limit=3)) == 3
    assert most_similar("broken street lights", many, min_score=1.01) == []


def test_nothing_to_compare() -> None:
    assert most_similar("anything", []) == []
    assert most_similar("the and of", IDEAS) == []
    assert most_similar("lights", [(1, "the and"), (2, "of it")]) == []
