"""Flesch reading ease, written out so the plain-English test needs no extra dependency.

Flesch (1948): 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words). 60-70 is
"plain English"; GOV.UK content aims for a reading age of about 9, which is 80 or more.
Syllables are counted by the usual heuristic (groups of vowels, less a silent final "e"),
good to about one syllable in ten on English words, which is plenty for a floor.
"""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)")
VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """The number of syllables in one English word (a heuristic; at least 1)."""
    word = word.lower().strip("'’-")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", lambda m: m.group(0)[0], word)
    word = re.sub(r"^y", "", word)
    return max(1, len(VOWEL_GROUP.findall(word)))


def plain_text(message: str) -> str:
    """A catalogue message as a reader sees it: no markup, placeholders read as one word."""
    return PLACEHOLDER.sub("it", TAG.sub("", message))


def counts(text: str) -> tuple[int, int, int]:
    """(sentences, words, syllables) in ``text``; a text without an ending is one sentence."""
    words = WORD.findall(text)
    sentences = max(1, len(SENTENCE_END.findall(text.strip() + " ")))
    return sentences, len(words), sum(syllables(w) for w in words)


def reading_ease(sentences: int, words: int, syllable_count: int) -> float:
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllable_count / words)


def score(text: str) -> float:
    return reading_ease(*counts(text))
