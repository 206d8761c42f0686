"""The extractive drafter: grounded by construction.

It never writes a claim of its own. Each answer sentence is a framing ("Jeugdzorg Nederland
proposes ...") around a verbatim quote from one retrieved passage, with its [n]; the clause
reuses the documents' own clause texts, or turns their imperatives into "Wij ..." sentences.
Instructions inside documents are quoted like any other text and never acted on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.answering.dutch import imperative_to_clause
from assistant.answering.injection import injection_spans
from assistant.core.passages import sentence_units
from assistant.core.question import Question, read
from assistant.core.text import names_one_body
from assistant.core.types import Chunk, Citation, SearchHit
from assistant.core.wordlists import ANSWER_FRAME_WORDS, DUTCH_MONTHS, ENGLISH_MONTHS
from assistant.core.words import token_overlap, tokenize
from assistant.retrieval.glossary import expand

#: Evidence whose fused score falls below this share of the best one is not cited.
RELATIVE_SCORE = 0.75
MAX_CITED = 3
CANDIDATE_DEPTH = 4
MIN_EXTRA_OVERLAP = 0.3
MAX_CLAUSE_SOURCES = 2
_ITEM_PREFIX = re.compile(r"^\s*\(?\d{1,2}[.)]\s+")
_OWN_CLAUSE = re.compile(r"^(we|wij|als gemeente|de gemeente|het college)\b", re.I)


@dataclass(frozen=True)
class Quote:
    """A verbatim sentence of a chunk, chosen as evidence, with its [n]."""

    n: int
    hit: SearchHit
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.hit.chunk.text[self.start : self.end]

    @property
    def page(self) -> int | None:
        """The page the quote stands on (its first non-space character)."""
        text = self.hit.chunk.text
        offset = self.start + (len(text[self.start : self.end]) - len(self.text.lstrip()))
        return self.hit.chunk.page_at(offset)


def _sentences(chunk: Chunk) -> list[tuple[int, int]]:
    """The chunk's stored sentence spans, item numbers and bullets left out of the quote; a
    table's rows (its "sentences": the row with the asked-for number is quoted, not the whole
    table)."""
    if chunk.kind == "table":
        return _table_rows(chunk.text)
    out = []
    for start, end in chunk.sentence_spans():
        m = _ITEM_PREFIX.match(chunk.text[start:end])
        if m:
            start += m.end()
        while start < end and chunk.text[start] in "•-–* \n":
            start += 1
        if end - start >= 12:
            # A title line glued to its body ("1. Formuleer een ambitie\n\nNeem ...").
            para = chunk.text.find("\n\n", start, end)
            if para != -1 and chunk.text[start:para].rstrip()[-1:] not in ".!?:;":
                out.append((start, para))
                start = para + 2
            out.append((start, end))
    return out


def _table_rows(text: str) -> list[tuple[int, int]]:
    """Spans of a pipe table's data rows (the header and the ``| --- |`` separator left out:
    the source card shows them above the quoted row)."""
    lines = text.split("\n")
    separator = [i for i, line in enumerate(lines) if line.strip() and not set(line) - set("|-: ")]
    out: list[tuple[int, int]] = []
    pos = 0
    for i, line in enumerate(lines):
        if line.strip() and i not in separator and i + 1 not in separator:
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


#: A letter's dateline ("Utrecht, 3 april 2026") and salutation ("Geachte informateur,",
#: "Dear members,"): the furniture of a letter, never what it says about anything.
_DATELINE = re.compile(
    rf"[^\W\d_][\w'’ -]*,\s+(?:\d{{1,2}}\s+)?(?:{'|'.join(DUTCH_MONTHS + ENGLISH_MONTHS)})"
    r"\s+\d{4}\b",
    re.I,
)
_SALUTATION = re.compile(r"(?:hoog)?geachte\b|beste\b|dear\b", re.I)


def letter_furniture(sentence: str) -> bool:
    """A dateline, a salutation ending in a comma, or the two run together."""
    text = sentence.strip()
    dateline = _DATELINE.match(text)
    rest = text[dateline.end() :].strip() if dateline else text
    return (dateline is not None and not rest) or (
        bool(_SALUTATION.match(rest)) and rest.endswith(",") and not re.search(r"[.!?]", rest)
    )


def content_sentences(chunk: Chunk) -> list[tuple[int, int]]:
    """:func:`_sentences` less those that instruct a model (the same detector as the LLM
    validator's: :mod:`assistant.answering.injection`) and a letter's dateline and salutation:
    they are never quoted."""
    injected = injection_spans(chunk.text, chunk.sentence_spans())
    return [
        (a, b)
        for a, b in _sentences(chunk)
        if not any(a < y and x < b for x, y in injected) and not letter_furniture(chunk.text[a:b])
    ]


_FRAME_WORDS = frozenset(tokenize(ANSWER_FRAME_WORDS))


def query_terms(question: str | Question) -> set[str]:
    """Stemmed Dutch content words of the question plus its glossary expansion."""
    q = read(question)
    return set(q.tokens + tokenize(" ".join(expand(q.text)))) - _FRAME_WORDS


#: Weight of the embedder's choice of sentence against word overlap with the question.
DENSE_SENTENCE_BONUS = 0.5


def _dense_choice(hit: SearchHit, spans: list[tuple[int, int]]) -> int | None:
    """Which span holds the sentence whose vector came closest to the question, if known:
    the one that overlaps most of that sentence vector's place in the text."""
    units = sentence_units(hit.chunk)
    if hit.best_sentence is None or not 0 <= hit.best_sentence < len(units):
        return None
    start, end = units[hit.best_sentence][1]
    overlaps = [min(b, end) - max(a, start) for a, b in spans]
    best = max(range(len(spans)), key=lambda i: overlaps[i])
    return best if overlaps[best] > 0 else None


def best_sentence(hit: SearchHit, terms: set[str]) -> tuple[int, int] | None:
    """The sentence of a passage that answers the question: the one the embedder found
    closest (sentence vectors), plus word overlap with the question; first on ties."""
    spans = content_sentences(hit.chunk)
    if not spans:
        return None
    if hit.chunk.kind in ("clause_suggestion", "recommendation"):
        # An item's point is in its first sentences; the key phrase is usually the first one.
        scored = [
            (token_overlap(terms, hit.chunk.text[a:b]) + (0.3 if i == 0 else 0.0), -i)
            for i, (a, b) in enumerate(spans)
        ]
    else:
        scored = [(token_overlap(terms, hit.chunk.text[a:b]), -i) for i, (a, b) in enumerate(spans)]
    dense = _dense_choice(hit, spans)
    # The embedder's choice wins unless it shares no word with the question while another
    # sentence does (a sentence vector can prefer "risicodragend" to "eigen risico").
    if dense is not None and (scored[dense][0] > 0 or max(s[0] for s in scored) == 0):
        scored[dense] = (scored[dense][0] + DENSE_SENTENCE_BONUS, scored[dense][1])
    best = max(range(len(spans)), key=lambda i: scored[i])
    return spans[best]


def select_quotes(
    question: str | Question, hits: list[SearchHit], idf: Mapping[str, float] | None = None
) -> list[Quote]:
    """Up to three passages close to the best one, one quoted sentence each.

    Beyond the best passage, a passage is cited only when its sentence shares the question's
    rarer words about as well as the first one does: a shared 'jeugdzorg' is not enough.
    """
    if not hits:
        return []
    terms = query_terms(question)
    first_overlap = 0.0
    top = hits[0].score
    quotes: list[Quote] = []
    for rank, hit in enumerate(hits[:CANDIDATE_DEPTH]):
        if len(quotes) >= MAX_CITED or hit.score < RELATIVE_SCORE * top:
            break
        span = best_sentence(hit, terms)
        if span is None:
            continue
        overlap = token_overlap(terms, hit.chunk.text[span[0] : span[1]], idf)
        if rank == 0:
            first_overlap = overlap
        elif overlap < max(MIN_EXTRA_OVERLAP, 0.5 * first_overlap):
            continue
        quotes.append(Quote(n=len(quotes) + 1, hit=hit, start=span[0], end=span[1]))
    return quotes


def short_publisher(chunk: Chunk) -> str:
    """Who speaks in a passage: its publisher's short form, else its document, by title in
    quotes (‘Verordening sociaal domein 2025’), so that a title is never read as a subject
    that needs a plural verb."""
    name = chunk.publisher.split(" (")[0].strip()
    return name or quoted_title(chunk.title) or quoted_title(chunk.doc_id)


def quoted_title(title: str) -> str:
    return f"‘{' '.join(title.split())}’" if title.strip() else ""


#: "X en Y", "X, Y en Z": several parties (a comma alone is an apposition: "Gemeente Zeist,
#: afdeling Jeugd"). A conjunct ending in a hyphen is a compound cut short ("wet- en
#: regelgeving", "jeugd- en gezinsbeleid"), not a second subject.
_COORDINATION = re.compile(r"\s(?:en|and|&)\s")


def is_plural(name: str) -> bool:
    """Whether a publisher names several parties ("VVD, D66, CDA en ChristenUnie"): the
    framing verb then agrees in number. A quoted title is one document, whatever it says, and
    a body named by its domain one body ("Ministerie van Sociale Zaken en Werkgelegenheid")."""
    if name.startswith("‘") or names_one_body(name):
        return False
    return any(not name[: m.start()].rstrip().endswith("-") for m in _COORDINATION.finditer(name))


def _label(chunk: Chunk, lang: str, page: int | None = None) -> str:
    if chunk.kind == "clause_suggestion" and chunk.item:
        return f"{'suggestion' if lang == 'en' else 'tekstsuggestie'} {chunk.item}"
    if chunk.kind == "recommendation" and chunk.item:
        return f"{'recommendation' if lang == 'en' else 'aanbeveling'} {chunk.item}"
    if page:
        item = f", item {chunk.item}" if chunk.item else ""
        return f"p. {page}{item}"
    # The innermost heading: "Artikel 4b", not the path of chapters and paragraphs above it.
    return chunk.location() or chunk.section.rsplit(" › ", 1)[-1]


#: Framing verbs per passage kind, singular and plural, per language.
VERBS = {
    "en": {
        "clause_suggestion": ("proposes as clause text", "propose as clause text"),
        "recommendation": ("recommends", "recommend"),
        "": ("writes", "write"),
    },
    "nl": {
        "clause_suggestion": (
            "stelt als tekst voor het coalitieakkoord voor",
            "stellen als tekst voor het coalitieakkoord voor",
        ),
        "recommendation": ("beveelt aan", "bevelen aan"),
        "": ("schrijft", "schrijven"),
    },
}


#: Framing verbs when the document itself is the speaker: "In ‘…’ (p. 12) staat: …",
#: "‘…’ (p. 12) says: …".
DOCUMENT_VERBS = {
    "en": {
        "clause_suggestion": "proposes as clause text",
        "recommendation": "recommends",
        "": "says",
    },
    "nl": {
        "clause_suggestion": "staat als tekst voor het coalitieakkoord",
        "recommendation": "wordt aanbevolen",
        "": "staat",
    },
}


def verb(kind: str, who: str, lang: str) -> str:
    """The framing verb for a passage kind, agreeing in number with ``who``."""
    forms = VERBS["en" if lang == "en" else "nl"]
    singular, plural = forms.get(kind, forms[""])
    return plural if is_plural(who) else singular


def frame(quote: Quote, lang: str) -> str:
    """One answer sentence: who says it, where, the verbatim quote, and its [n]. The speaker
    is the publisher ("VVD, D66, CDA en ChristenUnie (p. 35) schrijven: …") or, failing
    that, the document ("In ‘Verordening jeugdhulp 2025’ (p. 12) staat: …")."""
    c = quote.hit.chunk
    who, where = short_publisher(c), _label(c, lang, quote.page)
    where_s = f" ({where})" if where else ""
    text = " ".join(quote.text.split())
    if who.startswith("‘"):
        verbs = DOCUMENT_VERBS["en" if lang == "en" else "nl"]
        says = verbs.get(c.kind, verbs[""])
        lead = f"{who}{where_s}" if lang == "en" else f"In {who}{where_s}"
        return f"{lead} {says}: “{text}” [{quote.n}]"
    return f"{who}{where_s} {verb(c.kind, who, lang)}: “{text}” [{quote.n}]"


def compose_answer(quotes: list[Quote], lang: str) -> str:
    return "\n".join(frame(q, lang) for q in quotes)


def _clause_sentences(quote: Quote) -> list[tuple[str, str]]:
    """(clause sentence, verbatim source sentence) pairs a quoted passage can contribute.

    Clause suggestions give their whole text, recommendations all their imperatives; other
    passages only the quoted sentence, since their neighbours are usually about other things.
    """
    chunk = quote.hit.chunk
    spans = content_sentences(chunk)
    if chunk.kind not in ("clause_suggestion", "recommendation"):
        spans = [(quote.start, quote.end)]
    out = []
    for a, b in spans:
        source = chunk.text[a:b].strip()
        flat = " ".join(source.split())
        if chunk.kind == "clause_suggestion" or (
            _OWN_CLAUSE.match(flat) and chunk.kind != "recommendation"
        ):
            sentence = flat if flat[-1:] in ".!?" else flat + "."
            if sentence.lower().startswith("we "):
                sentence = "Wij " + sentence[3:]
            out.append((sentence, source))
            continue
        converted = imperative_to_clause(flat)
        if converted:
            out.append((converted, source))
    return out


#: How the clause came from a passage, per passage kind: copied, rewritten or based on it.
NOTES = {
    "nl": {
        "clause_suggestion": "overgenomen uit",
        "recommendation": "omgezet uit",
        "": "gebaseerd op",
    },
    "en": {"clause_suggestion": "taken from", "recommendation": "rewritten from", "": "based on"},
}


def clause_note(chunk: Chunk, lang: str, page: int | None = None) -> str:
    """Where a clause sentence comes from, in the answer's language."""
    lang = "en" if lang == "en" else "nl"
    how = NOTES[lang].get(chunk.kind, NOTES[lang][""])
    return f"{how} {short_publisher(chunk)}, {_label(chunk, lang, page)}"


def draft_clause(quotes: list[Quote], lang: str) -> tuple[str, str, list[tuple[int, str]]]:
    """The clause text with [n] per sentence, a provenance note, and (n, source sentence) pairs."""
    parts: list[str] = []
    notes: list[str] = []
    used: list[tuple[int, str]] = []
    seen: set[str] = set()
    sources = 0
    for q in quotes:
        if sources >= MAX_CLAUSE_SOURCES:
            break
        c = q.hit.chunk
        if sources and c.kind != quotes[0].hit.chunk.kind:
            continue  # a second source only when it is of the same sort as the first
        pairs = _clause_sentences(q)
        if not pairs:
            continue
        sources += 1
        for sentence, source in pairs:
            if sentence in seen:
                continue
            seen.add(sentence)
            parts.append(f"{sentence} [{q.n}]")
            used.append((q.n, source))
        notes.append(clause_note(c, lang, q.page))
    return " ".join(parts), "; ".join(notes), used


def citations(quotes: list[Quote]) -> list[Citation]:
    return [
        Citation(
            n=q.n,
            chunk_id=q.hit.chunk.chunk_id,
            doc_id=q.hit.chunk.doc_id,
            title=q.hit.chunk.title,
            page=q.page,
            item=q.hit.chunk.item,
            quote=q.text.strip(),
            publisher=q.hit.chunk.publisher,
            date=q.hit.chunk.date,
            ocr=q.hit.chunk.ocr,
        )
        for q in quotes
    ]
