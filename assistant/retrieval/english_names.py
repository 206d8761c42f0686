"""English names of Dutch documents: "the Public Health Act" names the "Wet publieke gezondheid".

An English question names a Dutch law by translating its name word for word. A capitalised run
ending in an English kind word ("Act", "Law", "Regulation", "Letter", "Report", "Agreement")
names the one document of that kind whose name it translates: each of its words has a
translation among the name's content words, and each content word is the translation of one
of its words, by the legal lexicon (``data/lexicon.toml``). A compound counts by its parts
("Debt Assistance" ~ "schuldhulpverlening") and a kind word at its end is the kind
("Participation Act" ~ "Participatiewet"). A name that fits two documents, or only part of
one ("Healthcare Insurance Act" is no "Wet publieke gezondheid"), names none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from assistant.core.kinds import compound_kind, kind_words, load_kinds
from assistant.core.vocabulary import LEXICON_PATH, fold, glossary_entries, wording_pattern
from assistant.core.wordlists import NAME_FUNCTION_WORDS

#: Capitalised words and the English kind word that ends them.
_NAME = re.compile(
    r"\b((?:[A-Z][\w'’-]*\s+){1,6}?)(Act|Law|Regulation|Statute|Letter|Report|Agreement)s?\b"
)
#: A translation shorter than this is no compound part: three letters occur in too many words.
_MIN_PART = 4


@lru_cache(maxsize=1)
def _lexicon() -> tuple[tuple[re.Pattern[str], tuple[str, ...], bool], ...]:
    """Per wording: its pattern, the Dutch words and whether it is a whole word (no ``*``)."""
    return tuple(
        (
            wording_pattern(t),
            tuple(fold(d) for d in e.get("nl", []) if " " not in d),
            "*" not in t,
        )
        for e in glossary_entries(LEXICON_PATH)
        for t in e.get("en", [])
        if len(t.rstrip("*")) > 2
    )


@lru_cache(maxsize=4096)
def translations(word: str) -> frozenset[str]:
    """The Dutch words the lexicon gives for an English ``word``; where a wording is the word
    itself, not those of a wording that only begins it ("childcare", not "child*")."""
    folded = fold(word)
    found = [(whole, dutch) for pattern, dutch, whole in _lexicon() if pattern.fullmatch(folded)]
    exact = any(whole for whole, _ in found)
    return frozenset(
        t for whole, dutch in found if whole or not exact for t in dutch if len(t) >= 4
    )


def _kind_type(word: str) -> str:
    return next((k.type for k in load_kinds() if word.lower() in k.words), "")


def content_words(name: str) -> list[str]:
    """A Dutch name's words that carry its meaning, a compound's kind word cut off
    ("Wet gemeentelijke schuldhulpverlening" -> gemeentelijke, schuldhulpverlening;
    "Pleegkinderenwet" -> pleegkinderen); [] when the name says no kind."""
    return list(_content_words(name))


@lru_cache(maxsize=8192)  # every document's names are read for each English name asked
def _content_words(name: str) -> tuple[str, ...]:
    kinds = kind_words()
    out, kinded = [], False
    for word in re.findall(r"[^\W\d_]+", fold(name)):
        if word in NAME_FUNCTION_WORDS:
            continue
        if word in kinds:
            kinded = True
            continue
        tail = compound_kind(word, rest=3)
        if tail:
            kinded, word = True, word[: -len(tail)]
        out.append(word)
    return tuple(out) if kinded else ()


def _cover(terms: Iterable[str], word: str) -> float:
    """How much of a Dutch ``word`` one of ``terms`` is, inflected or as a compound part
    (0: none): "jeugd" is all of "jeugd", "kinderen" part of "pleegkinderen"."""
    return max(
        (
            min(1.0, len(t) / len(word))
            for t in terms
            if word == t or word.startswith(t) or (len(t) >= _MIN_PART and t in word)
        ),
        default=0.0,
    )


def translation_fit(english: Sequence[str], dutch: Sequence[str]) -> float:
    """How closely English words and Dutch content words translate each other: 0 unless each
    English word has a translation among the Dutch words and each Dutch word is covered; then
    the share of the least covered Dutch word."""
    if not english or not dutch:
        return 0.0
    found = [translations(w) for w in english]
    if not all(any(_cover(t, d) for d in dutch) for t in found):
        return 0.0
    return min(max(_cover(t, d) for t in found) for d in dutch)


def english_mentions(
    question: str, documents: Iterable[tuple[str, str, Sequence[str]]]
) -> list[tuple[int, int, str]]:
    """(start, end, doc_id) of each English name in ``question`` that translates the name of
    exactly one document (``documents``: doc_id, doc_type and names)."""
    docs = list(documents)
    out = []
    for m in _NAME.finditer(question):
        words = list(re.finditer(r"[^\W\d_]+", m.group(1)))
        english = [w.group() for w in words if fold(w.group()) not in NAME_FUNCTION_WORDS]
        start = m.start(1) + next(
            (w.start() for w in words if fold(w.group()) not in NAME_FUNCTION_WORDS), 0
        )
        kind = _kind_type(m.group(2))
        fits = sorted(
            (
                (max(translation_fit(english, _content_words(n)) for n in names), doc_id)
                for doc_id, doc_type, names in docs
                if doc_type == kind and names
            ),
            reverse=True,
        )
        best = fits[0] if fits else (0.0, "")
        # the closest translation, where no other document's name fits as closely
        if best[0] > 0 and (len(fits) == 1 or fits[1][0] < best[0]):
            out.append((start, m.end(), best[1]))
    return out
