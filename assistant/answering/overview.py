"""Overview answers: the items of a document's own structure, each quoted and cited.

"Which recommendations does the VNG make?" is answered with the letter's numbered
recommendations, all of them, in the document's order, not with the one sentence closest to
the question. The structure is what ingest recorded: numbered items of one list (same
document, kind and section), else the bullets of the passage the question is closest to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.draft import Quote, content_sentences, short_publisher, verb
from assistant.core.question import Question, read
from assistant.core.types import Chunk, SearchHit
from assistant.core.words import tokenize

#: Words that name the items of a list kind, for matching the question's own words.
KIND_WORDS = {
    "recommendation": "aanbeveling aanbevelingen advies adviezen recommendation recommendations",
    "clause_suggestion": "tekstsuggestie tekstsuggesties suggestie suggesties tekstvoorstel "
    "clausule suggestion suggestions clause clauses text proposals",
}
LABELS = {
    "nl": {"recommendation": "aanbevelingen", "clause_suggestion": "tekstsuggesties", "": "punten"},
    "en": {"recommendation": "recommendations", "clause_suggestion": "suggestions", "": "points"},
}
LIST_VERB = {"nl": ("noemt", "noemen"), "en": ("lists", "list")}
_BULLET = re.compile(r"^[ \t]*[•●▪◦■□‣∙·*–-][ \t]+(?=\S)", re.M)
MAX_ITEMS = 15


@dataclass(frozen=True)
class Overview:
    quotes: list[Quote]
    doc_label: str
    kind: str


def _group_key(c: Chunk) -> tuple[str, str, str]:
    return (c.doc_id, c.kind, c.section)


def _item_number(c: Chunk) -> int:
    return int(c.item) if c.item.isdigit() else 999


def numbered_groups(chunks: Sequence[Chunk]) -> dict[tuple[str, str, str], list[Chunk]]:
    """Numbered items per list (document, kind, section), in document order."""
    groups: dict[tuple[str, str, str], list[Chunk]] = {}
    for c in chunks:
        if c.item and c.kind in KIND_WORDS:
            groups.setdefault(_group_key(c), []).append(c)
    return {k: sorted(v, key=lambda c: (c.char_start, _item_number(c))) for k, v in groups.items()}


def _bullets(chunk: Chunk) -> list[tuple[int, int]]:
    """Spans of the bullet items of a passage (text after the sign, wrapped lines included,
    up to the next bullet or blank line)."""
    text = chunk.text
    signs = list(_BULLET.finditer(text))
    spans = []
    for i, sign in enumerate(signs):
        start = sign.end()
        stop = signs[i + 1].start() if i + 1 < len(signs) else len(text)
        para = text.find("\n\n", start, stop)
        end = para if para != -1 else stop
        end = start + len(text[start:end].rstrip(" \n"))
        if end - start >= 8:
            spans.append((start, end))
    return spans


def _first_sentence(chunk: Chunk) -> tuple[int, int] | None:
    spans = content_sentences(chunk)
    return spans[0] if spans else None


def compose(
    question: str | Question,
    hits: Sequence[SearchHit],
    chunks: Sequence[Chunk],
    doc_ids: Sequence[str] | None = None,
) -> Overview | None:
    """The list a question asks for, or None when the evidence holds no list."""
    if not hits:
        return None
    words = set(read(question).tokens)
    allowed = set(doc_ids) if doc_ids else {h.chunk.doc_id for h in hits[:3]}
    groups = {k: v for k, v in numbered_groups(chunks).items() if k[0] in allowed}
    top = hits[0].chunk.chunk_id
    named: list[tuple[float, tuple[str, str, str]]] = []
    holding_top: tuple[str, str, str] | None = None
    for key, items in groups.items():
        ids = {c.chunk_id for c in items}
        score = sum(h.score for h in hits[:8] if h.chunk.chunk_id in ids)
        if words & set(tokenize(KIND_WORDS[key[1]] + " " + key[2])):
            named.append((score, key))  # the question names this list ("welke aanbevelingen")
        if top in ids:
            holding_top = key
    # A list the question names, else the list the best passage belongs to, else bullets.
    best = max(named) if named else (0.0, holding_top) if holding_top else None
    if best is not None and best[1] is not None:
        items = groups[best[1]][:MAX_ITEMS]
        quotes: list[Quote] = []
        for item in items:
            span = _first_sentence(item)
            if span is None:
                continue
            hit = SearchHit(chunk=item, score=0.0, rank=len(quotes) + 1)
            quotes.append(Quote(n=len(quotes) + 1, hit=hit, start=span[0], end=span[1]))
        if quotes:
            return Overview(quotes, short_publisher(items[0]), best[1][1])
    for hit in hits[:3]:
        if hit.chunk.doc_id not in allowed:
            continue
        spans = _bullets(hit.chunk)
        if len(spans) >= 2:
            quotes = [
                Quote(n=i + 1, hit=hit, start=a, end=b)
                for i, (a, b) in enumerate(spans[:MAX_ITEMS])
            ]
            return Overview(quotes, short_publisher(hit.chunk), "")
    return None


def render(overview: Overview, lang: str) -> str:
    """An intro naming who lists how many items, then one cited line per item."""
    lang = "en" if lang == "en" else "nl"
    who = overview.doc_label
    label = LABELS[lang].get(overview.kind, LABELS[lang][""])
    singular, plural = LIST_VERB[lang]
    listing = plural if verb("", who, lang) in ("schrijven", "write") else singular
    lines = [f"{who} {listing} {len(overview.quotes)} {label}:"]
    for q in overview.quotes:
        c = q.hit.chunk
        number = c.item or str(q.n)
        text = " ".join(q.text.split())
        lines.append(f"{number}. “{text}” [{q.n}]")
    return "\n".join(lines)
