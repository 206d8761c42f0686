"""Bilingual policy glossary (data in ``data/glossary.toml``): English question words to the
Dutch terms the documents use. Used on the query side, for lexical retrieval."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.core.vocabulary import (
    GLOSSARY_PATH,
    fold,
    glossary_entries,
    matchable,
    wording_pattern,
)
from assistant.core.words import tokenize


@dataclass(frozen=True)
class Concept:
    en: tuple[str, ...]
    nl: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_PATH) -> tuple[Concept, ...]:
    concepts = []
    for entry in glossary_entries(path):
        en = tuple(entry.get("en", []))
        nl = tuple(entry.get("nl", []))
        if not nl:
            raise ValueError(f"glossary concept {en} has no Dutch terms")
        pats = tuple(wording_pattern(t) for t in en + nl if matchable(t))
        concepts.append(Concept(en=en, nl=nl, patterns=pats))
    return tuple(concepts)


def matched_concepts(question: str) -> list[Concept]:
    """The concepts a question mentions. A wording inside a longer matched wording does not
    count: "youth care" means youth care, not also "youth" (children, young people ...),
    whose Dutch terms would crowd out the ones the question is about."""
    text = fold(question)
    spans = [
        (m.start(), m.end(), i)
        for i, c in enumerate(load_glossary())
        for p in c.patterns
        for m in p.finditer(text)
    ]
    kept = {
        i for a, b, i in spans if not any(x <= a and b <= y and y - x > b - a for x, y, _ in spans)
    }
    return [c for i, c in enumerate(load_glossary()) if i in kept]


def expand(question: str) -> list[str]:
    """Dutch terms for the concepts a question mentions (in English or in Dutch)."""
    terms: list[str] = []
    for concept in matched_concepts(question):
        terms.extend(t for t in concept.nl if t not in terms)
    return terms


@lru_cache(maxsize=1)
def glossary_terms() -> frozenset[str]:
    """Stems of every glossary wording: words the product knows as policy vocabulary."""
    words = " ".join(t.rstrip("*") for c in load_glossary() for t in c.en + c.nl)
    return frozenset(tokenize(words))
