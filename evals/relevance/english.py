"""English forms of Dutch terms for English template questions: the project glossary, and at
training time, when installed, Debian's FreeDict Dutch-English dictionary (GPL; read here,
nothing of it ships; training works without it)."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from assistant.core.vocabulary import glossary_entries

FREEDICT = Path("/usr/share/dictd/freedict-nld-eng")


@lru_cache(maxsize=1)
def glossary_forms() -> dict[str, str]:
    """Dutch wording (lower case) -> the concept's first plain English wording."""
    out: dict[str, str] = {}
    for entry in glossary_entries():
        english = [w for w in entry.get("en", []) if "*" not in w]
        if not english:
            continue
        for dutch in entry.get("nl", []):
            if "*" not in dutch:
                out.setdefault(dutch.lower(), english[0])
    return out


def _b64(s: str) -> int:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    n = 0
    for c in s:
        n = n * 64 + alphabet.index(c)
    return n


@lru_cache(maxsize=1)
def _freedict(base: Path = FREEDICT) -> dict[str, str]:
    """Headword -> first translation, from the dictd files (empty when not installed)."""
    index, data = base.with_suffix(".index"), base.with_suffix(".dict.dz")
    if not index.is_file() or not data.is_file():
        return {}
    with gzip.open(data) as fh:
        raw = fh.read()
    out: dict[str, str] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or parts[0].startswith("00database"):
            continue
        entry = raw[_b64(parts[1]) : _b64(parts[1]) + _b64(parts[2])].decode("utf-8", "replace")
        lines = entry.splitlines()[1:]
        if not lines:
            continue
        first = lines[0].split(". ", 1)[-1].split(",")[0].strip()
        if first and first.isascii() and first.replace(" ", "").isalpha() and len(first) > 3:
            out[parts[0].lower()] = first
    return out


def english(term: str) -> str | None:
    """An English form of the Dutch ``term``, or None when neither source has one."""
    key = term.lower()
    return glossary_forms().get(key) or _freedict().get(key)
