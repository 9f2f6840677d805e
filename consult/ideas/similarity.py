"""Finding ideas like a new one: TF-IDF vectors compared by cosine similarity.

Pure functions on plain text, so they are tested without a database. Words are lower-cased,
English stop words dropped and a plural "s" trimmed, so "bins" finds "bin".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

WORD = re.compile(r"[^\W\d_]{2,}")
MIN_SCORE = 0.2


@cache
def _stop_words() -> frozenset[str]:
    # scikit-learn is imported when first needed, not with the web app: it is most of a web
    # worker's start-up time and memory, and most pages never compare ideas.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def words(text: str) -> list[str]:
    """The words that carry meaning, each reduced to a simple stem."""
    stop_words = _stop_words()
    stems = []
    for word in WORD.findall(text.lower()):
        if word in stop_words:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        stems.append(word)
    return stems


def most_similar(
    query: str,
    candidates: Sequence[tuple[int, str]],
    limit: int = 3,
    min_score: float = MIN_SCORE,
) -> list[tuple[int, float]]:
    """The ids of up to ``limit`` candidates most like ``query``, best first, with their scores.

    Only candidates scoring at least ``min_score`` (cosine similarity, 0 to 1) are returned.
    """
    if not candidates or not words(query):
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    vectorizer = TfidfVectorizer(analyzer=words, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([query, *(text for _, text in candidates)])
    except ValueError:  # nothing but stop words anywhere: nothing to compare
        return []
    # TF-IDF rows are L2-normalised, so the dot product is the cosine similarity.
    scores = linear_kernel(matrix[0:1], matrix[1:]).ravel()
    ranked = sorted(
        ((candidates[i][0], float(score)) for i, score in enumerate(scores) if score >= min_score),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return ranked[:limit]
