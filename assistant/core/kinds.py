"""Kinds of document (``data/document_kinds.toml``): the words a question uses for a kind,
and, for a document added without a manifest, the kind its title says it is.

One table serves scope ("de wet", "the letters") and ingest (a title headed by
"Verordening" or "Wet van ..." is a law), so the two never disagree on what a word means.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

KINDS_PATH = Path(__file__).resolve().parent / "data" / "document_kinds.toml"


@dataclass(frozen=True)
class Kind:
    type: str
    words: tuple[str, ...]
    label: Mapping[str, str]
    #: Words for the document being written (see ``document_kinds.toml``).
    written: tuple[str, ...] = ()


@lru_cache(maxsize=2)
def load_kinds(path: Path = KINDS_PATH) -> tuple[Kind, ...]:
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Kind(
            name,
            tuple(v.get("words", [])),
            dict(v.get("label", {})),
            tuple(v.get("written", [])),
        )
        for name, v in data.items()
    )


@lru_cache(maxsize=2)
def kind_words(path: Path = KINDS_PATH) -> frozenset[str]:
    """Every word of every kind ("wet", "brieven", "act", "coalition agreement")."""
    return frozenset(w for kind in load_kinds(path) for w in kind.words)


@lru_cache(maxsize=4096)
def compound_kind(word: str, rest: int = 1) -> str:
    """The Dutch kind word a compound ends in ("kinderbijslagwet": "wet"), the longest where
    several do (so the answer does not depend on set order), after at least ``rest`` letters
    of its own; "" for none. An English kind word ends no Dutch compound ("contract" is no
    "act")."""
    w = word.lower()
    return max(
        (
            k
            for k in kind_words()
            if len(k) >= 3 and k not in _ENGLISH_ONLY and len(w) >= len(k) + rest and w.endswith(k)
        ),
        key=len,
        default="",
    )


_HEAD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def kind_of_title(title: str, path: Path = KINDS_PATH) -> str:
    """The kind a title's head word names, or "": Dutch titles put the kind first, often
    as the head of a compound ("Verordening jeugdhulp ...", "Afstemmingsverordening ...",
    "Wet van ...", "Leerplichtwet 1969", "Jaarverslag 2025"). A compound counts only with a
    Dutch kind word at its end; English kind words must be the whole word ("contract" is no
    act)."""
    m = _HEAD.match(title.strip())
    if not m:
        return ""
    head = m.group(0).lower()
    for kind in load_kinds(path):
        for word in kind.words:
            if " " in word:
                continue
            if head == word or (
                len(word) >= 3
                and head.endswith(word)
                and len(head) >= 6
                and word not in _ENGLISH_ONLY
            ):
                return kind.type
    return ""


#: Kind words that are English: never the tail of a Dutch compound ("contract" is no "act").
_ENGLISH_ONLY = frozenset(
    {"act", "acts", "law", "laws", "letter", "letters", "report", "reports", "agreement",
     "agreements", "regulation", "regulations", "statute", "statutes", "legislation"}
)  # fmt: skip
