"""Pair generators: each turns passages into (query, text, label) pairs, marked with its name.

* ``heading``: an article's title, or its section's title, as the query for the article;
* ``cloze``: inverse cloze, a sentence as the query for its passage with the sentence removed;
* ``template``: Dutch and English template questions around a passage's rare terms;
* ``quantity``: a quantity question; the sentence with a number of the asked kind is positive,
  sentences of the same passage with only a date, an ordinal or no number are negatives;
* ``near_miss``: a positive's query with its key term, place or organisation swapped for one
  the passage lacks (negative).

Hard negatives mined with BM25 are in ``mining``. Every choice uses a seeded ``random.Random``
so a build is reproducible.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from assistant.core.sentences import split_sentences
from evals.relevance import quantities
from evals.relevance.english import english
from evals.relevance.sources import Passage

_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ-]+")
#: Titles that name no subject ("Slotbepalingen"): they head sections in most laws.
_MIN_TERM = 8


@dataclass(frozen=True)
class Pair:
    query: str
    text: str
    label: int
    generator: str
    doc_id: str
    passage_id: str
    lang: str = "nl"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def sentences(text: str) -> list[str]:
    """The sentences (and list items) of a passage with at least five words."""
    out: list[str] = []
    for line in text.splitlines():
        out.extend(s.strip() for s in split_sentences(line) if len(s.split()) >= 5)
    return out


_DETERMINER = (
    r"(?:de|het|een|der|des|deze|die|dit|dat|zijn|haar|hun|elke|ieder|iedere|geen|welke|"
    r"van|voor|bij|op|in|aan|met|door|over|onder|tot)"
)
#: Words that are no subject of a question: adverbs (daarmede), numbers, ordinals, months.
_NOT_A_TERM = re.compile(
    r"^(?:daar|waar|hier|er|ter|ten|alsmede|overeenkomstig|onverminderd|onderscheidenlijk)"
    r"|^(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|"
    r"vijftien|zestien|zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|honderd|"
    r"duizend)\w*(?:ste|de|tig)$"
    r"|^(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    r"december)$"
)


def sentence_key(sentence: str) -> str:
    return " ".join(re.findall(r"\w+", sentence.lower())[:10])


class Rarity:
    """How rare each word is among the passages (document frequency), to pick key terms, and
    which sentences recur (boilerplate such as "Lasten en bevelen ...")."""

    def __init__(self, passages: Iterable[Passage]) -> None:
        self.df: Counter[str] = Counter()
        self.sentence_count: Counter[str] = Counter()
        self.n = 0
        for p in passages:
            self.n += 1
            self.df.update({w.lower() for w in _WORD.findall(p.text)})
            self.sentence_count.update({sentence_key(s) for s in sentences(p.text)})

    def idf(self, word: str) -> float:
        return math.log((self.n + 1) / (self.df[word.lower()] + 1))

    def boilerplate(self, sentence: str) -> bool:
        return self.sentence_count[sentence_key(sentence)] >= 2

    def terms(self, text: str, k: int = 3) -> list[str]:
        """Up to ``k`` rare long nouns of ``text`` (not in every other passage, not unique to
        one either, so they are terms rather than typos), rarest first. A word counts as a
        noun when a determiner or preposition comes right before it, or one word before."""
        seen: set[str] = set()
        for w in _WORD.findall(text):
            key = w.lower()
            if len(key) < _MIN_TERM or key in seen or _NOT_A_TERM.search(key):
                continue
            if not 2 <= self.df[key] <= max(3, self.n * 0.02):
                continue
            pattern = rf"\b{_DETERMINER}\s+(?:[\w-]+\s+)?{re.escape(w)}\b"
            if re.search(pattern, text, re.IGNORECASE):
                seen.add(key)
        return sorted(seen, key=lambda w: (-self.idf(w), w))[:k]


# ------------------------------------------------------------------------------ headings

_GENERIC_TITLE = re.compile(
    r"^(?:algemene|slot|overgangs|begrips|straf|wijzigings|citeer|inwerkingtredings)\w*"
    r"|^(?:inwerkingtreding|citeertitel|slotbepaling|slotbepalingen|begripsbepalingen|"
    r"toepassingsbereik|reikwijdte|wijziging van|intrekking|overige|diversen)",
    re.IGNORECASE,
)


def heading_pairs(passages: Sequence[Passage], common_titles: set[str]) -> list[Pair]:
    """Article titles for their article; a section title for the section's first article."""
    out: list[Pair] = []
    seen_sections: set[str] = set()
    for p in passages:
        for title in (p.title, p.section):
            if len(title) < 6 or _GENERIC_TITLE.search(title):
                continue
            if title.lower() in common_titles:
                continue
            if title is p.section:
                key = f"{p.doc_id}\0{title}"
                if key in seen_sections:
                    continue
                seen_sections.add(key)
            out.append(Pair(title, p.text, 1, "heading", p.doc_id, p.passage_id))
    return out


# ------------------------------------------------------------------------- inverse cloze


def cloze_pairs(passages: Sequence[Passage], rarity: Rarity, rng: random.Random) -> list[Pair]:
    """One sentence of a passage of three or more as the query for the rest of it (never a
    sentence that recurs elsewhere: its other passages would be false negatives)."""
    out = []
    for p in passages:
        found = [s for s in sentences(p.text) if len(s.split()) >= 8 and not rarity.boilerplate(s)]
        if len(sentences(p.text)) < 3 or not found:
            continue
        sentence = rng.choice(found)
        rest = " ".join(p.text.replace(sentence, " ").split())
        out.append(Pair(sentence, rest, 1, "cloze", p.doc_id, p.passage_id))
    return out


# ---------------------------------------------------------------------------- templates

TEMPLATES_NL = (
    "Wat staat er over {t}?",
    "Welke regels gelden voor {t}?",
    "Wat wordt bepaald over {t}?",
    "Wat is er geregeld rond {t}?",
    "Wie is verantwoordelijk voor {t}?",
    "Hoe zit het met {t}?",
)
TEMPLATES_EN = (
    "What does it say about {t}?",
    "Which rules apply to {t}?",
    "What is laid down about {t}?",
    "Who is responsible for {t}?",
    "What are the arrangements for {t}?",
)


def template_pairs(passages: Sequence[Passage], rarity: Rarity, rng: random.Random) -> list[Pair]:
    """A Dutch question around a passage's rarest term, and an English one when the term has
    an English form (glossary, FreeDict at training time)."""
    out = []
    for p in passages:
        terms = rarity.terms(p.text)
        if not terms:
            continue
        term = terms[0]
        out.append(
            Pair(rng.choice(TEMPLATES_NL).format(t=term), p.text, 1, "template", p.doc_id,
                 p.passage_id)
        )  # fmt: skip
        for candidate in terms:
            en = english(candidate)
            if en:
                query = rng.choice(TEMPLATES_EN).format(t=en)
                out.append(Pair(query, p.text, 1, "template", p.doc_id, p.passage_id, "en"))
                break
    return out


# ---------------------------------------------------------------------------- quantities

QUANTITY_NL = {
    "period": ("Hoe lang is de termijn voor {t}?", "Binnen welke termijn geldt {t}?"),
    "amount": ("Welk bedrag geldt voor {t}?", "Hoeveel geld is er gemoeid met {t}?"),
    "share": ("Welk percentage geldt voor {t}?", "Welk deel betreft {t}?"),
    "age": ("Vanaf welke leeftijd geldt {t}?", "Tot welke leeftijd geldt {t}?"),
    "count": ("Hoeveel {n} gelden voor {t}?", "Hoeveel {n} zijn er bij {t}?"),
}
QUANTITY_EN = {
    "period": ("How long is the period for {t}?", "How many weeks or months apply to {t}?"),
    "amount": ("How much money is involved in {t}?", "What amount applies to {t}?"),
    "share": ("What percentage applies to {t}?",),
    "age": ("What age limit applies to {t}?",),
}


def quantity_pairs(passages: Sequence[Passage], rarity: Rarity, rng: random.Random) -> list[Pair]:
    """For a sentence giving one kind of number: a question asking for that kind around a
    rare term of the sentence, the sentence as positive, and up to two sentences of the same
    passage that give no number at all (dates, ordinals, references allowed) as negatives."""
    out = []
    for p in passages:
        sents = sentences(p.text)
        bare = [s for s in sents if not quantities.kinds(s)]
        for s in sents:
            found = quantities.kinds(s)
            terms = rarity.terms(s, k=2) or rarity.terms(p.text, k=1)
            if len(found) != 1 or not terms:
                continue
            kind = next(iter(found))
            term = terms[0]
            noun = quantities.counted_noun(s) if kind == "count" else None
            if kind == "count" and noun is None:
                continue
            query = rng.choice(QUANTITY_NL[kind]).format(t=term, n=noun)
            lang = "nl"
            en = english(term)
            if kind in QUANTITY_EN and en and rng.random() < 0.3:
                query, lang = rng.choice(QUANTITY_EN[kind]).format(t=en), "en"
            out.append(Pair(query, s, 1, "quantity", p.doc_id, p.passage_id, lang))
            for neg in rng.sample(bare, min(2, len(bare))):
                out.append(Pair(query, neg, 0, "quantity", p.doc_id, p.passage_id, lang))
            break  # one quantity question per passage
    return out


# ---------------------------------------------------------------------------- near misses

#: Places and organisations to swap in; a query naming one the passage lacks is a near miss.
PLACES = (
    "Amsterdam", "Rotterdam", "Utrecht", "Groningen", "Eindhoven", "Tilburg", "Almere",
    "Breda", "Nijmegen", "Apeldoorn", "Haarlem", "Arnhem", "Zaanstad", "Enschede", "Zwolle",
    "Leeuwarden", "Maastricht", "Dordrecht", "Deventer", "Assen",
)  # fmt: skip
ORGANISATIONS = (
    "GGD", "UWV", "SVB", "Raad voor de Kinderbescherming", "Veilig Thuis", "Belastingdienst",
    "Inspectie Gezondheidszorg en Jeugd", "Nederlandse Zorgautoriteit", "CJG", "COA",
    "Sociale Verzekeringsbank", "politie", "woningcorporatie", "zorgverzekeraar",
)  # fmt: skip


def swap(query: str, term: str, replacement: str) -> str:
    """``query`` with every whole-word ``term`` replaced (case-insensitive)."""
    return re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", replacement, query, flags=re.IGNORECASE)


def _absent(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is None


def near_miss_pairs(
    positives: Sequence[Pair], other_terms: Sequence[str], rng: random.Random
) -> list[Pair]:
    """For positives whose query holds a term, place or organisation found in their text:
    the query with it swapped for one the text lacks, as a negative for the same text."""
    out = []
    for pair in positives:
        named = [w for w in (*PLACES, *ORGANISATIONS) if not _absent(pair.query, w)]
        terms = [w for w in _WORD.findall(pair.query) if len(w) >= _MIN_TERM]
        candidates = [w for w in (*named, *terms) if not _absent(pair.text, w)]
        if not candidates:
            continue
        term = candidates[0]
        pool = PLACES if term in PLACES else ORGANISATIONS if term in ORGANISATIONS else other_terms
        options = [w for w in rng.sample(list(pool), min(8, len(pool))) if _absent(pair.text, w)]
        options = [w for w in options if w.lower() != term.lower()]
        if not options:
            continue
        query = swap(pair.query, term, options[0])
        if query != pair.query:
            out.append(replace(pair, query=query, label=0, generator="near_miss"))
    return out
