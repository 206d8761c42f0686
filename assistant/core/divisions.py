"""The divisions of legislation: a heading that opens one ("Hoofdstuk 3 Toegang", "§ 2a
Kwalificatieplicht") heads every article below it, even where no text stands between it and
its first article's heading."""

from __future__ import annotations

import re

#: The divisions legislation groups its articles into, outermost first (boek/deel, hoofdstuk,
#: titel, afdeling, paragraaf: Aanwijzingen voor de regelgeving, ch. 3.11). A heading that
#: opens one holds every article below it until the next division of the same or a higher
#: rank, whatever level its Markdown or type size gives it: a law's "§ 2a Kwalificatieplicht"
#: says what its articles 4a-4c are about, and "Artikel 4b" alone does not.
_DIVISIONS = (
    ("boek", "deel", "part"),
    ("hoofdstuk", "chapter"),
    ("titel",),
    ("afdeling",),
    ("paragraaf", "§"),
)
_NUMBER = r"(?:\d+[a-z]?(?:\.(?:\d+[a-z]?|[a-z]))*|[IVXLC]+)\b\.?"
_WORDS = "|".join(w for rank in _DIVISIONS for w in rank)
#: Where a division opens inside a heading: merged heading lines hold several ("Hoofdstuk 1
#: Kinderopvang Afdeling 1 Algemene bepalingen").
_OPENS = re.compile(rf"(?<!\w)({_WORDS})\s*({_NUMBER})", re.IGNORECASE)
ARTICLE = re.compile(r"\b(?:artikel|article)\s*\d+[a-z]?(?:\.\d+[a-z]?)*\b", re.IGNORECASE)

Rank = tuple[int, str]  # the division's kind (0 outermost) and its number


def _rank(word: str, number: str) -> Rank:
    kind = next(i for i, rank in enumerate(_DIVISIONS) if word.lower() in rank)
    return kind, number.rstrip(".").lower()


def closes(new: Rank, open_: Rank) -> bool:
    """Whether a division that opens closes one that is open: one of the same or an inner
    kind, unless its number extends the open one's ("§ 4.2.a" is inside "§ 4.2")."""
    if open_[0] != new[0]:
        return open_[0] > new[0]
    return not new[1].startswith(open_[1] + ".")


def division_rank(heading: str) -> Rank | None:
    """The rank of the division ``heading`` opens, or None for other headings."""
    m = _OPENS.match(heading.lstrip())
    return _rank(m.group(1), m.group(2)) if m else None


def split_heading(heading: str) -> tuple[list[tuple[Rank, str]], str]:
    """The divisions a heading opens, outermost first, and the rest (an article's heading or
    other text): "§ 3 Vrijstellingen Artikel 5 Gronden" -> ([((4, 0), "§ 3 Vrijstellingen")],
    "Artikel 5 Gronden")."""
    text = heading.strip()
    starts = [m for m in _OPENS.finditer(text)]
    if not starts or starts[0].start() != 0:
        return [], text
    article = ARTICLE.search(text, 1)
    end = article.start() if article else len(text)
    opened = [m for m in starts if m.start() < end]
    bounds = [m.start() for m in opened] + [end]
    parts = [
        (_rank(m.group(1), m.group(2)), text[a:b].strip())
        for m, a, b in zip(opened, bounds, bounds[1:], strict=False)
    ]
    return parts, text[end:].strip()


def opens_unit(heading: str) -> bool:
    """Whether a heading starts a division or an article ("§ 2a", "Artikel 4b")."""
    return division_rank(heading) is not None or ARTICLE.match(heading.lstrip()) is not None


def retrieval_heading(section: str) -> str:
    """What retrieval reads of a section path: the innermost division and what follows it
    ("§ 2a Kwalificatieplicht › Artikel 4b ..."). The outer divisions stay in the section (a
    citation's context, what a passage is about) but would repeat the same words in every
    article of a chapter."""
    parts = section.split(" › ")
    opened = [i for i, part in enumerate(parts) if division_rank(part) is not None]
    if len(opened) < 2:
        return section
    keep = [p for i, p in enumerate(parts) if i not in opened or i == opened[-1]]
    return " › ".join(keep)
