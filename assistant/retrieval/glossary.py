"""Bilingual policy glossary (data in ``data/glossary.toml``): English question words to the
Dutch terms the documents use. Used on the query side, for lexical retrieval."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.store.lexical import _fold, tokenize

GLOSSARY_PATH = Path(__file__).resolve().parents[1] / "core" / "data" / "glossary.toml"


@dataclass(frozen=True)
class Concept:
    en: tuple[str, ...]
    nl: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]


def _pattern(term: str) -> re.Pattern[str]:
    folded = _fold(term)
    if folded.endswith("*"):
        return re.compile(r"\b" + re.escape(folded[:-1]) + r"[\w-]*")
    return re.compile(r"\b" + re.escape(folded) + r"(?:s|es)?\b")


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_PATH) -> tuple[Concept, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    concepts = []
    for entry in data.get("concept", []):
        en = tuple(entry.get("en", []))
        nl = tuple(entry.get("nl", []))
        if not nl:
            raise ValueError(f"glossary concept {en} has no Dutch terms")
        pats = tuple(_pattern(t) for t in en + nl if not t.endswith("*") or len(t) > 4)
        concepts.append(Concept(en=en, nl=nl, patterns=pats))
    return tuple(concepts)


def matched_concepts(question: str) -> list[Concept]:
    text = _fold(question)
    return [c for c in load_glossary() if any(p.search(text) for p in c.patterns)]


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
