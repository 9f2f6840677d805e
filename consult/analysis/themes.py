"""Themes in free-text answers: TF-IDF and non-negative matrix factorisation (NMF).

Each theme has its top keywords, how many comments it holds and two or three representative
quotes, with personal data redacted. Comments are redacted before anything else, so no name,
email or postcode can become a keyword either. Deterministic: a fixed ``random_state`` seeds both
the sampling of large sets and NMF.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from consult.analysis.redaction import redact

# Words residents use in every kind of comment, which say nothing about what a comment is about,
# and the titles that redaction leaves in place before a [name].
# fmt: off
CONSULTATION_STOP_WORDS = frozenset({
    "area", "bit", "council", "did", "does", "doesn", "don", "feel", "get", "getting", "good",
    "just", "know", "like", "local", "lot", "lots", "make", "need", "needs", "people", "place",
    "really", "think", "time", "use", "want", "way", "week", "weeks", "year", "years",
    "dr", "miss", "mr", "mrs", "ms", "mx",
})
# fmt: on
_PLACEHOLDER = re.compile(r"\[(?:email|phone|postcode|url|address|name)\]")
_QUOTE_LENGTH = 280


@dataclass(frozen=True)
class Theme:
    """A theme: its keywords (strongest first), how many analysed comments have it as their main
    theme, that number as a share of the analysed comments, and redacted quotes."""

    keywords: tuple[str, ...]
    size: int
    share: float
    quotes: tuple[str, ...]


def find_themes(
    texts: Sequence[str],
    n_themes: int = 5,
    n_keywords: int = 6,
    n_quotes: int = 3,
    max_texts: int = 5000,
    random_state: int = 0,
) -> list[Theme]:
    """Up to ``n_themes`` themes in ``texts``, largest first.

    More than ``max_texts`` comments are sampled down to that many (sizes are then of the
    sample; shares estimate the whole). Too few or too short comments give no themes: an empty
    list, not an error.
    """
    if n_themes < 1:
        raise ValueError("ask for at least one theme")
    # Sample first, so a very large set costs no more to redact than max_texts comments.
    sampled = _sample([text.strip() for text in texts if text.strip()], max_texts, random_state)
    comments = [redact(text) for text in sampled]
    # scikit-learn is imported here, not with the module: the web app imports this module (for
    # briefing previews) and would otherwise spend most of a worker's start-up loading it.
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    stop_words = sorted(ENGLISH_STOP_WORDS | CONSULTATION_STOP_WORDS)
    vectorizer = TfidfVectorizer(
        stop_words=stop_words, min_df=2, max_df=0.9, sublinear_tf=True, lowercase=True
    )
    try:
        matrix = vectorizer.fit_transform([_PLACEHOLDER.sub(" ", c) for c in comments])
    except ValueError:
        # No vocabulary to work with: too few comments, nothing said in two of them, or
        # nothing but stop words.
        return []
    n_components = min(n_themes, *matrix.shape)
    model = NMF(n_components=n_components, init="nndsvda", max_iter=1000, random_state=random_state)
    with warnings.catch_warnings():
        # A model short of full convergence still ranks keywords and comments usefully; a
        # briefing should not fail, or print a warning to a worker's log, for it.
        warnings.simplefilter("ignore", ConvergenceWarning)
        # A fit that is exact up to rounding (comments repeating as many distinct texts as there
        # are themes) makes NMF's own measure of its error the square root of a tiny negative
        # number: a diagnostic we never read, so not a reason to fail a briefing.
        warnings.filterwarnings(
            "ignore", "invalid value encountered in sqrt", RuntimeWarning, r"sklearn\."
        )
        weights = model.fit_transform(matrix)
    words = vectorizer.get_feature_names_out()
    themes = [
        _theme(k, model.components_[k], weights, words, comments, n_keywords, n_quotes)
        for k in range(n_components)
    ]
    return sorted((t for t in themes if t.size), key=lambda t: (-t.size, t.keywords))


def _sample(comments: list[str], max_texts: int, random_state: int) -> list[str]:
    """At most ``max_texts`` comments, chosen reproducibly and kept in their original order."""
    if len(comments) <= max_texts:
        return comments
    chosen = np.random.default_rng(random_state).choice(len(comments), max_texts, replace=False)
    return [comments[i] for i in sorted(chosen)]


def _theme(
    k: int,
    keyword_weights: np.ndarray,
    weights: np.ndarray,
    words: np.ndarray,
    comments: list[str],
    n_keywords: int,
    n_quotes: int,
) -> Theme:
    """Theme ``k`` from its NMF component and the comments' weights on every theme."""
    strength = weights[:, k]
    # A comment belongs to the theme it is strongest on; comments with no known words to none.
    members = np.flatnonzero((weights.argmax(axis=1) == k) & (weights.sum(axis=1) > 0))
    # Stable sorts, so ties go to the earlier word or comment and the result never varies.
    top_words = np.argsort(-keyword_weights, kind="stable")[:n_keywords]
    keywords = tuple(str(words[i]) for i in top_words if keyword_weights[i] > 0)
    ranked = members[np.argsort(-strength[members], kind="stable")]
    quotes: list[str] = []
    for index in ranked:
        quote = _shorten(comments[index])
        if quote not in quotes:
            quotes.append(quote)
        if len(quotes) == n_quotes:
            break
    return Theme(
        keywords=keywords,
        size=len(members),
        share=len(members) / len(comments),
        quotes=tuple(quotes),
    )


def _shorten(comment: str) -> str:
    """A quote of at most about ``_QUOTE_LENGTH`` characters, cut at a word with an ellipsis."""
    if len(comment) <= _QUOTE_LENGTH:
        return comment
    return comment[:_QUOTE_LENGTH].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
