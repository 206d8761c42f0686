"""The glossary's wordings as text patterns (data in ``data/glossary.toml``), below retrieval:
telling a short topic's language needs them too (:func:`vocabulary_language`)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

GLOSSARY_PATH = Path(__file__).resolve().parent / "data" / "glossary.toml"
LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon.toml"


def fold(text: str) -> str:
    """Lower case without diacritics: 'geïndexeerd' and 'geindexeerd' are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def wording_pattern(term: str) -> re.Pattern[str]:
    """A glossary wording as a pattern over folded text: whole words, a plural ending
    allowed; a trailing * matches any word ending."""
    folded = fold(term)
    if folded.endswith("*"):
        return re.compile(r"\b" + re.escape(folded[:-1]) + r"[\w-]*")
    return re.compile(r"\b" + re.escape(folded) + r"(?:s|es)?\b")


def matchable(term: str) -> bool:
    """A wildcard wording of four letters or fewer would match too much ("kind*")."""
    return not term.endswith("*") or len(term) > 4


@lru_cache(maxsize=4)
def glossary_entries(path: Path = GLOSSARY_PATH) -> tuple[dict[str, Any], ...]:
    return tuple(tomllib.loads(path.read_text(encoding="utf-8")).get("concept", []))


@lru_cache(maxsize=1)
def _side_patterns() -> dict[str, tuple[re.Pattern[str], ...]]:
    """The English and the Dutch wordings of every concept, as patterns."""
    entries = glossary_entries()
    return {
        lang: tuple(wording_pattern(t) for e in entries for t in e.get(lang, []) if matchable(t))
        for lang in ("en", "nl")
    }


def vocabulary_language(text: str) -> str | None:
    """'en' or 'nl' by the words of ``text`` that only one side of the glossary uses ("local
    teams": English, "lokale teams": Dutch), None when they do not decide. A short topic has
    no function words to tell its language by."""
    folded = fold(text)
    marked = {}
    for lang, patterns in _side_patterns().items():
        covered = [False] * len(folded)
        for p in patterns:
            for m in p.finditer(folded):
                covered[m.start() : m.end()] = [True] * (m.end() - m.start())
        marked[lang] = covered
    en = nl = 0
    for m in re.finditer(r"\w+", folded):
        on_en = any(marked["en"][m.start() : m.end()])
        on_nl = any(marked["nl"][m.start() : m.end()])
        en += on_en and not on_nl
        nl += on_nl and not on_en
    return "en" if en > nl else "nl" if nl > en else None
