"""Which kinds of number a sentence gives (count, amount, period, share, age), after taking
out what only looks like one: dates, years, ordinals and references to articles or parts.

Stricter than the product's ``answer_type.gives`` (its COUNT is any digit, so "1 januari"
counts): a training negative for a quantity question must hold no number of any kind.
"""

from __future__ import annotations

import re

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
NUMBER_WORDS = (
    "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|"
    "zestien|zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|honderd|duizend"
)
_NUM = rf"(?:\d+(?:[.,]\d+)*|{NUMBER_WORDS})"
_UNIT = r"(?:dag|dagen|werkdagen|week|weken|maand|maanden|jaar|jaren|uur|uren|kwartaal|kwartalen)"

#: Things that hold digits but are no quantity; removed before the kinds are looked for.
_NOT_QUANTITY = re.compile(
    rf"\b\d{{1,2}}\s+(?:{MONTHS})(?:\s+\d{{4}})?\b"  # 1 januari 2027
    r"|\b(?:18|19|20)\d\d\b"  # a year
    r"|\b\d+(?:e|ste|de|ste)\b"  # ordinals: 21e, 3de
    r"|\b(?:artikel(?:en)?|art\.|lid|leden|onderdeel|onderdelen|hoofdstuk|afdeling|paragraaf|"
    r"titel|boek|bijlage|stb\.|stcrt\.|nr\.|nummer|§)\s*\d+[a-z]*(?:[.:]\d+[a-z]*)*"
    r"(?:\s*(?:,|en|tot en met|t/m)\s*\d+[a-z]*(?:[.:]\d+[a-z]*)*)*"  # artikel 3, 4 en 5
    r"|^\s*\d+[.)°]\s"  # a list number
    r"|\b[a-z]\.\s"  # a lettered item
    r"|\b\d+°",
    re.IGNORECASE,
)
KINDS = ("period", "amount", "share", "age", "count")
_KIND = {
    "age": re.compile(
        rf"\bleeftijd van\s+{_NUM}|\b{_NUM}\s+jaar\s+(?:oud|of ouder|of jonger)\b"
        rf"|\b(?:jonger|ouder)\s+dan\s+{_NUM}\s+jaar|\b{_NUM}-jarig",
        re.IGNORECASE,
    ),
    "period": re.compile(rf"\b(?:{_NUM}|een)\s+{_UNIT}\b", re.IGNORECASE),
    "amount": re.compile(
        rf"€\s*{_NUM}|\b{_NUM}\s*(?:euro|gulden|eur)\b|\bfl\.\s*{_NUM}", re.IGNORECASE
    ),
    "share": re.compile(
        rf"{_NUM}\s*(?:%|procent\b|percent\b|ten honderd\b)|\b(?:de helft|een derde|een kwart)\b",
        re.IGNORECASE,
    ),
    "count": re.compile(rf"\b{_NUM}\s+(?!{_UNIT}\b)[a-z][a-z-]{{2,}}", re.IGNORECASE),
}
#: The noun a count is of ("drie leden" -> "leden"), for "Hoeveel leden ...?".
_COUNTED = re.compile(rf"\b{_NUM}\s+([a-z][a-z-]{{3,}})", re.IGNORECASE)
_NON_NOUNS = frozenset(
    [
        "euro",
        "gulden",
        "procent",
        "percent",
        "jaar",
        "jaren",
        "of",
        "en",
        "tot",
        "van",
        "de",
        "het",
        "een",
        "in",
        "op",
        "is",
        "maal",
        "keer",
        "door",
        "voor",
        "per",
        "naar",
        "over",
        "onder",
        "tegen",
        "binnen",
        "met",
        "zijn",
        "worden",
        "wordt",
        "andere",
        "verschillende",
    ]
)


def strip_non_quantities(sentence: str) -> str:
    return _NOT_QUANTITY.sub(" ", sentence)


def kinds(sentence: str) -> set[str]:
    """The kinds of number ``sentence`` gives (empty: only dates, ordinals, references or
    nothing)."""
    text = strip_non_quantities(sentence)
    found = {kind for kind, pattern in _KIND.items() if pattern.search(text)}
    if "age" in found:
        found.discard("period")  # "jonger dan 18 jaar" is an age, not a duration
    if found - {"count"}:
        found.discard("count")  # "zes weken" is a period; "count" is what is left
    return found


def counted_noun(sentence: str) -> str | None:
    for m in _COUNTED.finditer(strip_non_quantities(sentence)):
        noun = m.group(1).lower()
        if noun not in _NON_NOUNS and not re.fullmatch(_UNIT, noun):
            return noun
    return None
