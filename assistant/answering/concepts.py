"""The key concepts of a question, and whether a passage covers them.

Dense similarity cannot tell "what does the VNG say about closed youth care?" from "what
does the VNG say about youth care?": both land on the same passage. A passage answers a
question only if it speaks of what the question is about, so every answer is checked
against the question's key concepts: its rarer content words (after the glossary, and after
Dutch morphology: "jeugdzorgplekken" is "jeugdzorg" + "plekken", "jeugdbescherming" is
covered by "jeugdbeschermingsketen").

A concept is only judged when the corpus can speak of it: a Dutch word the corpus never uses
and that is no compound of corpus words is a paraphrase as often as not ("pubers"), so it
neither covers nor fails a passage. Glossary synonyms count only when they are at least
about as specific as the word they stand for ("open-house" is not covered by "inkoop").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from assistant.answering.draft import content_sentences
from assistant.core.lexicon import Vocabulary
from assistant.core.morphology import adjective_root, undouble, verb_stems
from assistant.core.question import Question, read
from assistant.core.types import Chunk, SearchHit
from assistant.core.vocabulary import fold
from assistant.core.words import tokenize, word_pairs
from assistant.retrieval.glossary import load_glossary

#: Stems shorter than this are not split off or matched inside compounds ("zorg" inside
#: "zorgen" would cover anything).
MIN_PART = 4
#: Linking sounds between the parts of a Dutch compound ("beschermings-keten").
_LINKS = ("", "s", "e", "en")
#: Glossary concepts with more Dutch wordings than this are retrieval fields, not synonyms.
MAX_SYNONYMS = 3
#: A glossary synonym may be this much more common (lower idf) than the word it replaces.
SYNONYM_MARGIN = 1.0
#: English words at least this long that the corpus uses are Dutch terms the question
#: borrows ("kinderrechten", "Digitale").
BORROWED_LEN = 9

T = TypeVar("T")


@dataclass(frozen=True)
class Concept:
    """One thing a question is about: the word as asked, and the stems any of whose
    alternatives (all of an alternative's stems) a passage must use to cover it."""

    word: str
    forms: tuple[frozenset[str], ...]
    weight: float


def _split(token: str, vocabulary: Mapping[str, float]) -> frozenset[str] | None:
    """``token`` as two corpus words ("jeugdzorgplekk" -> jeugdzorg + plekk), or None."""
    for i in range(len(token) - MIN_PART, MIN_PART - 1, -1):
        head, tail = token[:i], token[i:]
        if len(tail) < MIN_PART or not _known(tail, vocabulary):
            continue
        for link in _LINKS:
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            if len(stem) >= MIN_PART and _known(stem, vocabulary):
                return frozenset({stem, tail})
    return None


def _known(stem: str, vocabulary: Mapping[str, float]) -> bool:
    return stem in vocabulary or _part_stem(stem) in vocabulary


@lru_cache(maxsize=8192)
def _part_stem(part: str) -> str | None:
    """A compound part's own stem (None: a stop word): parts recur across questions."""
    stems = tokenize(part)
    return stems[0] if stems else None


def _glossary_forms(word: str, weight: float, idf: Mapping[str, float]) -> list[frozenset[str]]:
    """Dutch synonyms of ``word`` from the glossary: only from concepts that are synonym sets
    (a few wordings, not a retrieval field like "tendering": aanbesteden, inkoop, open-house)
    and not more generic than the word itself."""
    text = fold(word)
    out: list[frozenset[str]] = []
    for concept in load_glossary():
        if len(concept.nl) > MAX_SYNONYMS or not any(p.fullmatch(text) for p in concept.patterns):
            continue
        for term in concept.nl:
            stems = wording_stems(term)
            if stems and min(idf.get(s, 0.0) for s in stems) >= weight - SYNONYM_MARGIN:
                out.append(stems)
    return out


@lru_cache(maxsize=4096)
def wording_stems(wording: str) -> frozenset[str]:
    """A glossary wording's stems: read once per process, not once per question."""
    return frozenset(tokenize(wording))


def _strip(word: str) -> str:
    return word.strip(".,;:!?\"'‘’“”()")


def _dutch(topic: Question, idf: Vocabulary, skip: frozenset[str]) -> list[Concept]:
    """One concept per content word; a hyphenated word ("open-house") is one concept."""
    out: list[Concept] = []
    for word, stems in topic.words:
        tokens = [t for t in stems if t not in skip and not t.isdigit() and len(t) >= MIN_PART]
        if not tokens:
            continue
        if all(t in idf for t in tokens):
            weight = max(idf[t] for t in tokens)
            forms = [frozenset(tokens), *_glossary_forms(word, weight, idf)]
        elif len(tokens) == 1 and (parts := _split(tokens[0], idf)) is not None:
            weight = max(idf.get(p, 0.0) for p in parts)
            forms = [parts]
        elif len(tokens) == 1 and (inside := _inside(tokens[0], idf)):
            weight = min(inside)  # only inside compounds ("jeugdbescherming|sketen")
            forms = [frozenset(tokens)]
        else:
            continue  # a word the corpus cannot speak of: not judged
        out.append(Concept(_strip(word), tuple(dict.fromkeys(forms)), weight))
    return out


def _inside(stem: str, idf: Vocabulary) -> list[float]:
    """The rarity of the corpus words that hold ``stem`` as a compound part."""
    if len(stem) < MIN_PART + 1:
        return []
    return [idf[t] for t in idf.holding(stem, MIN_PART - 1)]


def key_phrases(
    question: str | Question,
    idf: Mapping[str, float],
    mentioned: Sequence[str] = (),
    skip: Iterable[str] = (),
) -> list[Concept]:
    """Phrases of ``question`` the corpus uses ("passend onderwijs", "lokale teams"), rarest
    first: two adjacent content words that passages also use next to each other. A passage
    using the phrase speaks of it; one using "onderwijs" alone speaks of education."""
    vocabulary = Vocabulary.of(idf)
    q = read(question)
    topic = q.without(mentioned)
    skipped = frozenset(skip) | frozenset(q.stems(" ".join(mentioned)))
    found: dict[str, Concept] = {}
    for words, pair in topic.pairs:
        if any(s in skipped for s in pair.split(" ")):
            continue
        weight = vocabulary.phrase_weight(pair)
        if weight is not None:
            found.setdefault(pair, Concept(words, (frozenset({pair}),), weight))
    return sorted(found.values(), key=lambda c: -c.weight)


def _english(question: Question, idf: Vocabulary, skip: frozenset[str]) -> list[Concept]:
    """Glossary concepts the question names (the longest wording wins where two overlap:
    "youth care", not "youth"), and the Dutch words it borrows."""
    out: list[Concept] = []
    topic = question.text
    text = fold(topic)
    found: list[tuple[int, int, tuple[frozenset[str], ...]]] = []
    for concept in load_glossary():
        wordings = (wording_stems(t) for t in concept.nl)
        # wordings the corpus never uses can cover nothing
        forms = tuple(dict.fromkeys(f for f in wordings if f and all(s in idf for s in f)))
        found.extend((*m.span(), forms) for p in concept.patterns for m in p.finditer(text))
    claimed = _longest_first(found)
    for a, b, forms in claimed:
        if not forms:
            continue
        # as specific as its most common wording: any wording covers it
        weight = min(min(idf[s] for s in f) for f in forms)
        out.append(Concept(topic[a:b], forms, weight))
    at = 0
    for word, word_stems in question.words:
        start = text.find(fold(word), at)
        at = max(at, start + len(word))
        if len(word) < BORROWED_LEN or any(a <= start < b for a, b, _ in claimed):
            continue
        stems = [t for t in word_stems if t in idf and t not in skip]
        if stems:
            weight = max(idf[s] for s in stems)
            out.append(Concept(_strip(word), (frozenset(stems),), weight))
    return out


def glossary_use(idf: Mapping[str, float], corpus: str = "") -> tuple[bool, ...]:
    """For each glossary concept (in :func:`load_glossary` order), whether the corpus uses
    one of its Dutch wordings. It depends on the index only, and scanning the vocabulary for
    compounds grows with the corpus, so callers compute it once per index generation.
    ``corpus`` (the folded text, one passage a line) decides a wording of several words: the
    corpus may use "sociale" and "media" but never "sociale media"."""
    vocabulary = Vocabulary.of(idf)
    return tuple(
        any(_corpus_uses(wording, vocabulary, corpus) for wording in concept.nl)
        for concept in load_glossary()
    )


def absent_concepts(question: str, used: Sequence[bool]) -> list[str]:
    """The policy terms of ``question`` (glossary wordings, longest first) for which the
    corpus uses none of the glossary's Dutch wordings (``used``: :func:`glossary_use`):
    "waiting lists" when no document says "wachtlijsten" or "wachttijden". Unlike any Dutch
    word the corpus lacks (often a paraphrase of the documents' own), a glossary concept
    comes with its Dutch wordings."""
    text = fold(question)
    spans = [
        (*m.span(), known)
        for concept, known in zip(load_glossary(), used, strict=True)
        for p in concept.patterns
        for m in p.finditer(text)
    ]
    out: list[str] = []
    for a, b, known in _longest_first(spans):
        if not known and question[a:b] not in out:
            out.append(question[a:b])
    return out


def _longest_first(spans: Iterable[tuple[int, int, T]]) -> list[tuple[int, int, T]]:
    """The matches that do not overlap a longer one, longest first ("youth care", not
    "youth")."""
    kept: list[tuple[int, int, T]] = []
    for a, b, value in sorted(spans, key=lambda f: f[0] - f[1]):
        if not any(a < y and x < b for x, y, _ in kept):
            kept.append((a, b, value))
    return kept


def _corpus_uses(wording: str, idf: Vocabulary, corpus: str) -> bool:
    """Whether the corpus uses a Dutch wording: each of its words (also inside a compound),
    and the whole phrase when it has several words and the corpus text is given."""
    stems = tokenize(wording)
    if not stems or not all(s in idf or _inside(s, idf) for s in stems):
        return False
    phrase = " ".join(fold(wording).split())
    return len(stems) == 1 or not corpus or phrase in corpus


def key_concepts(
    question: str | Question,
    idf: Mapping[str, float],
    mentioned: Sequence[str] = (),
    skip: Iterable[str] = (),
) -> list[Concept]:
    """What ``question`` is about, without the words naming its sources (``mentioned``) and
    the words of how it is asked (``skip``), one concept per word, rarest first."""
    vocabulary = Vocabulary.of(idf)
    q = read(question)
    topic = q.without(mentioned)
    skipped = frozenset(skip) | frozenset(q.stems(" ".join(mentioned)))
    found = (
        _dutch(topic, vocabulary, skipped)
        if q.language == "nl"
        else _english(topic, vocabulary, skipped)
    )
    unique: dict[tuple[frozenset[str], ...], Concept] = {}
    for c in found:
        unique.setdefault(c.forms, c)
    return sorted(unique.values(), key=lambda c: -c.weight)


def uses(stem: str, tokens: Iterable[str]) -> bool:
    """Whether a passage's ``tokens`` (:func:`passage_tokens`) use ``stem``: as a word, inside
    a compound, or as the noun of a derived adjective."""
    if stem in tokens or any(v in tokens for v in verb_stems(stem)):
        return True  # a question's participle by its verb ("herhaald": "bij herhaling")
    if " " in stem or len(stem) < MIN_PART + 1:  # a phrase is used as such, or not at all
        return False
    # inside a compound: the rest is a word of its own ("jeugdbeschermings|keten"), not an
    # ending ("constructie|f")
    if any(
        len(t) >= len(stem) + MIN_PART - 1 and (t.startswith(stem) or t.endswith(stem))
        for t in tokens
        if " " not in t  # a phrase of the passage: its words are tokens of their own
    ):
        return True
    return _derived(stem, tokens)


def _derived(stem: str, tokens: Iterable[str]) -> bool:
    """An adjective covered by its noun, also inside a compound ("problemat|isch" by
    "probleem|schulden"), and a noun by its adjective ("structuur" by "structur|eel")."""
    base, noun = adjective_root(stem), undouble(stem)
    for t in tokens:
        if " " in t:
            continue
        if adjective_root(t) == noun:
            return True
        if base is not None:
            other = undouble(t)
            if other == base or (
                len(other) >= len(base) + MIN_PART
                and (other.startswith(base) or other.endswith(base))
            ):
                return True
    return False


@lru_cache(maxsize=4096)
def passage_tokens(text: str) -> frozenset[str]:
    """What a passage says, for coverage: its stems, the verbs of its participles ("ingekocht":
    inkopen) and its phrases ("passend onderwijs")."""
    stems = tokenize(text)
    verbs = {v for t in stems for v in verb_stems(t)}
    return frozenset([*stems, *verbs, *word_pairs(text)])


def covers(concept: Concept, tokens: Iterable[str]) -> bool:
    """Whether a passage's ``tokens`` use one of the concept's alternatives."""
    return any(all(uses(s, tokens) for s in form) for form in concept.forms)


def uncovered(concepts: Sequence[Concept], texts: Iterable[str]) -> list[Concept]:
    """The concepts none of ``texts`` covers."""
    tokens: set[str] = set()
    for t in texts:
        tokens.update(passage_tokens(t))
    return [c for c in concepts if not covers(c, tokens)]


def coverage(concepts: Sequence[Concept], texts: Iterable[str]) -> float:
    """Share of the concepts' weight that ``texts`` cover (1.0 when there is nothing to judge)."""
    total = sum(c.weight for c in concepts)
    if not total:
        return 1.0
    missing = uncovered(concepts, texts)
    return 1.0 - sum(c.weight for c in missing) / total


def passage_text(chunk: Chunk) -> str:
    """What a passage says, for coverage: its section heading and its text."""
    return f"{chunk.section} {chunk.text}"


def prefer_covering(
    hits: list[SearchHit], key: Sequence[Concept], phrases: Sequence[Concept] = ()
) -> list[SearchHit]:
    """Passages that cover the ``key`` concepts first, and of those the ones that are about
    them (in their heading or first sentence) before those that mention them in passing; a
    stable reorder, the fused ranking decides among equals: a question about closed youth
    care is answered from the passage that speaks of it, not from the best-scored one that
    only speaks of youth care. Passages using the question's rarest phrase (``phrases``:
    "passend onderwijs") come before all others: they speak of what it names, not of
    "onderwijs" in general."""
    if key:
        covers_key = [not uncovered(key, [passage_text(h.chunk)]) for h in hits]
        covering = [h for h, c in zip(hits, covers_key, strict=True) if c]
        rest = [h for h, c in zip(hits, covers_key, strict=True) if not c]
        hits = stable_first(covering, lambda h: not uncovered(key, [opening(h.chunk)])) + rest
    if phrases:
        hits = stable_first(hits, lambda h: not uncovered(phrases[:1], [passage_text(h.chunk)]))
    return hits


def opening(chunk: Chunk) -> str:
    """A passage's heading and first sentence (of a numbered item: its title and first
    line): what it is about."""
    spans = content_sentences(chunk)[: 2 if chunk.item else 1]
    return " ".join([chunk.section, *(chunk.text[a:b] for a, b in spans)])


def stable_first(hits: list[SearchHit], test: Callable[[SearchHit], bool]) -> list[SearchHit]:
    """The hits that pass ``test`` first, each part in its own order."""
    passed = [test(h) for h in hits]
    return [h for h, x in zip(hits, passed, strict=True) if x] + [
        h for h, x in zip(hits, passed, strict=True) if not x
    ]
