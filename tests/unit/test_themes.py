"""Free-text themes on hand-written comments about three clear topics."""

from __future__ import annotations

from collections import Counter

import pytest

from consult.analysis.themes import Theme, find_themes

DOG_MESS = [
    "Dog mess all over the pavement outside the school, it's disgusting.",
    "Owners never pick up after their dogs on the playing field.",
    "More dog bins please, the mess on the footpath is awful.",
    "My kids stepped in dog poo again on the way to school.",
    "Fine the dog owners who leave mess by the swings.",
    "The dog mess on the green means nobody can sit on the grass.",
    "Dog fouling by the bus stop is out of control.",
    "Please put up signs about dog fouling and more bins for bags.",
    "People bag the dog poo then hang the bags on trees, why?",
    "The dog warden should patrol the park in the mornings when the dogs are out.",
    "Too much dog mess on the canal towpath.",
    "Can we have a dog free area in the park for children?",
    "Dog poo bins are overflowing and nobody empties them.",
    "Dogs off leads and their mess everywhere on the field.",
    "I'm sick of cleaning dog mess off pushchair wheels.",
    "Dog fouling on the pavements near the flats is a health risk.",
    "Irresponsible dog owners ruin the field for everyone.",
    "A dog poo bin by the park gate would stop the mess.",
    "Fines for dog fouling are never enforced.",
    "The footpath behind the shops is covered in dog mess. Email me at ann@example.com",
]
STREET_LIGHTING = [
    "The street lights on our road have been out for a month.",
    "It's pitch dark by the underpass, the lighting is broken.",
    "Broken street lighting makes me scared to walk home at night.",
    "Please fix the street lamp outside number 40, it flickers all night.",
    "More lighting in the alley, it's too dark after 5pm in winter.",
    "The lights switch off at midnight and the estate is pitch black.",
    "Dark paths with no lighting are where the muggings happen.",
    "The new LED street lights are too dim to see the pavement.",
    "Lighting on the cycle path would help people commuting in the dark.",
    "Street light by the bus stop has been broken since October.",
    "Nobody feels safe walking in the dark with the lamps out.",
    "Replace the broken lamp posts on the main road.",
    "Better street lighting near the station please, it's so dark.",
    "The car park has no lighting at all after dark.",
    "Lights in the park would make it safer at night.",
    "Our street lamp has been reported broken three times.",
    "It's too dark to see the kerb, the lighting needs fixing.",
    "Install lighting along the path to the station.",
    "Street lights turn off too early and it's dark and unsafe.",
    "Broken lights by the flats mean women avoid walking home at night.",
]
YOUTH_CLUB = [
    "The youth club closing left teenagers with nothing to do.",
    "Reopen the youth club on Friday nights please.",
    "My son loved the youth club, bring back the youth workers.",
    "Teenagers need a youth club with sport and music sessions.",
    "More youth workers and a proper youth centre for the estate.",
    "Young people hang around the shops because there's no youth club.",
    "The youth club should open in the school holidays too.",
    "Fund the youth club so the teenagers have somewhere safe to go.",
    "A youth club with a games room and cooking sessions would be brilliant.",
    "Youth workers kept kids out of trouble, we need them back.",
    "My daughter wants a youth club with dance and drama sessions.",
    "Open the youth centre every evening for young people.",
    "The youth club was the heart of the estate for teenagers.",
    "Nothing for teenagers to do since the youth centre shut.",
    "Please keep the youth club open, my kids go every week.",
    "Youth club sessions for under 13s would be great.",
    "Bring back the youth club trips and activities for teenagers.",
    "Young people need youth workers they can talk to.",
    "A youth club at the community centre on weekends.",
    "The youth club needs more funding and more youth workers.",
]
TOPICS = {"dog mess": DOG_MESS, "street lighting": STREET_LIGHTING, "youth club": YOUTH_CLUB}


def test_three_topics_come_out_as_three_themes() -> None:
    comments = DOG_MESS + STREET_LIGHTING + YOUTH_CLUB
    themes = find_themes(comments, n_themes=3)
    assert len(themes) == 3
    assert sum(theme.size for theme in themes) == 60
    found = set()
    for theme in themes:
        topics = Counter(_topic(quote) for quote in theme.quotes)
        (topic, count), *_ = topics.most_common()
        assert count == len(theme.quotes) == 3, theme
        assert 16 <= theme.size <= 24, theme  # about a third each
        found.add(topic)
    assert found == set(TOPICS)
    keywords = {keyword for theme in themes for keyword in theme.keywords[:3]}
    assert {"dog", "youth"} <= keywords
    assert keywords & {"lights", "lighting", "street", "dark"}


def test_each_comment_lands_in_its_own_topics_theme() -> None:
    themes = find_themes(DOG_MESS + STREET_LIGHTING + YOUTH_CLUB, n_themes=3, n_quotes=30)
    for theme in themes:
        topics = Counter(_topic(quote) for quote in theme.quotes)
        # At most two comments in the wrong theme, out of about twenty.
        assert topics.most_common(1)[0][1] >= theme.size - 2, topics


def test_quotes_are_redacted_and_personal_data_is_never_a_keyword() -> None:
    themes = find_themes(DOG_MESS * 2, n_themes=2, n_quotes=40)
    quotes = [quote for theme in themes for quote in theme.quotes]
    assert any("[email]" in quote for quote in quotes)
    assert not any("ann@example.com" in quote for quote in quotes)
    keywords = {keyword for theme in themes for keyword in theme.keywords}
    assert not keywords & {"email", "ann", "example", "com"}


def test_themes_are_the_same_every_time() -> None:
    comments = DOG_MESS + STREET_LIGHTING + YOUTH_CLUB
    assert find_themes(comments, n_themes=3) == find_themes(comments, n_themes=3)


def test_a_large_set_is_sampled_reproducibly() -> None:
    comments = (DOG_MESS + STREET_LIGHTING + YOUTH_CLUB) * 3
    themes = find_themes(comments, n_themes=3, max_texts=90)
    assert sum(theme.size for theme in themes) == 90
    assert sum(theme.share for theme in themes) == pytest.approx(1.0)
    assert find_themes(comments, n_themes=3, max_texts=90) == themes


def test_long_quotes_are_shortened_at_a_word() -> None:
    long_comment = "The street lights are broken " + "and it is dark " * 40
    themes = find_themes([long_comment, *STREET_LIGHTING], n_themes=1, n_quotes=25)
    quotes = [quote for theme in themes for quote in theme.quotes]
    shortened = [quote for quote in quotes if quote.endswith("…")]
    assert shortened
    assert all(len(quote) <= 281 for quote in quotes)


@pytest.mark.parametrize(
    "comments",
    [[], ["", "   "], ["the and of"], ["one comment about bins"], ["a b", "c d"]],
)
def test_too_little_text_gives_no_themes(comments: list[str]) -> None:
    assert find_themes(comments) == []


def test_a_theme_is_plain_data() -> None:
    theme = Theme(keywords=("dog",), size=1, share=1.0, quotes=("Dog mess.",))
    assert theme.keywords == ("dog",)


def _topic(quote: str) -> str:
    for name, comments in TOPICS.items():
        if quote in comments or any(quote.split("[email]")[0] in c for c in comments):
            return name
    raise AssertionError(f"not one of the comments: {quote!r}")


def test_at_least_one_theme_must_be_asked_for() -> None:
    with pytest.raises(ValueError, match="at least one theme"):
        find_themes(DOG_MESS, n_themes=0)


def test_comments_an_exact_fit_explains_still_give_themes() -> None:
    """Two distinct comments, each said ten times: NMF fits them exactly, and the square root
    of its (rounded below zero) error must not stop the briefing (tests turn warnings into
    errors, as a strict worker would)."""
    themes = find_themes(["more bins in the park please", "better lights on the street"] * 10)
    assert sorted(t.size for t in themes) == [10, 10]
    assert {frozenset(t.keywords) for t in themes} == {
        frozenset({"bins", "park"}),
        frozenset({"better", "lights", "street"}),
    }
