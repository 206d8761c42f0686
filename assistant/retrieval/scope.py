"""Which documents a question names: "de VNG", "het kabinet", "the letters", "de wet".

The resolver is data-driven: every document's names come from its index record (manifest
``aliases``, publisher, author and title, with their parenthesised short forms), and kinds of
document from ``data/document_kinds.toml`` and the manifest ``type``. A document a user adds
with a manifest entry is therefore named the same way as the bundled ones.

A document is also named by its municipality (its ``place``, else "gemeente X" in its
publisher, title or author) and that place's regular adjectives, derived by rule rather than
listed ("Zeister", "Utrechtse", "Leidse", "Goudse", "Groninger"): a named place outranks a
kind word beside it ("het Zeister coalitieakkoord" is the Zeist document).

A mention preceded by a possessive ("ons coalitieakkoord", "our agreement") is the user's own
document, not a source; so is a bare kind word for the document being written ("het
coalitieakkoord", "the coalition agreement") in a question about what to write ("wat moeten
we in het coalitieakkoord opnemen?", "what should the coalition agreement say?"): it is
answered from every document. A name after the topic marker ("... over de Jeugdwet") is the
topic when the question already named its source before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol

from assistant.core.kinds import KINDS_PATH, compound_kind, kind_of_title, kind_words, load_kinds
from assistant.core.text import names_one_body
from assistant.core.vocabulary import fold
from assistant.core.wordlists import DUTCH_MONTHS, NAME_FUNCTION_WORDS
from assistant.retrieval.english_names import english_mentions

#: Words that make the following mention the user's own document ("ons coalitieakkoord",
#: "aanbevelingen voor het coalitieakkoord": the document being written, not a source).
_OWN_WORDS = (
    "ons onze uw jullie our your new nieuw nieuwe lokale lokaal local eigen own gemeentelijk "
    "gemeentelijke toekomstige future voor for into"
)
_OWN = frozenset(_OWN_WORDS.split())
#: Words after which the rest of a question is its topic ("wat zegt X over Y").
_TOPIC = re.compile(r"\b(over|about|regarding|concerning|omtrent|inzake|betreffende|aangaande)\b")
_PAREN = re.compile(r"\(([^)]*)\)")
_MIN_NAME = 2
#: Words that make a question one about what to write (the user's own document): the first
#: person plural and the modals of advice; "volgens"/"according to" ask what a source says.
_WRITING = re.compile(
    r"\b(?:we|wij|ons|onze|our|us|let's|moet|moeten|zou|zouden|should|must|ought)\b"
)
_SOURCE_CUE = re.compile(r"\b(?:volgens|according to|per)\s+(?:(?:het|de|the)\s+)?$")
#: "gemeente X" in a publisher, title or author: X is the document's place ("Gemeente Zeist",
#: "gemeente Bergen op Zoom", "GEMEENTE DEN HAAG", "gemeente 's-Hertogenbosch").
_UP = "A-ZÀ-ÖØ-Þ"
_PLACE_WORD = rf"(?:'s-)?[{_UP}][\w'’-]*"
_GEMEENTE = re.compile(
    rf"\b(?:gemeente|Gemeente|GEMEENTE)\s+((?:(?:Den|De|DEN|DE)\s+)?{_PLACE_WORD}"
    rf"(?:\s+(?:aan den|aan de|aan|op|in|bij|AAN DEN|AAN DE|AAN|OP|IN|BIJ)\s+{_PLACE_WORD})?)"
)
#: Endings of a Dutch place adjective or inhabitant-adjective: Zeist-er, Utrecht-se,
#: Delft-s, Leid-se (Leiden), Goud-se (Gouda), Groning-er (Groningen), Amsterdams-che.
_ADJECTIVE_ENDINGS = ("sche", "se", "s", "er")
_MIN_STEM = 3


class DocumentRecord(Protocol):
    """What the resolver reads of a document (``assistant.index.FileRecord`` has it)."""

    doc_id: str
    title: str
    publisher: str
    author: str
    doc_type: str
    aliases: list[str]
    status: str
    place: str  # the municipality, set in the manifest or inferred at ingest


@lru_cache(maxsize=2)
def _written_words(path: Path = KINDS_PATH) -> frozenset[str]:
    return frozenset(fold(w) for kind in load_kinds(path) for w in kind.written)


@dataclass(frozen=True)
class Mention:
    """A span of the question that names documents: by name, or by kind."""

    text: str
    start: int
    end: int
    doc_ids: tuple[str, ...]
    by_kind: bool = False


@dataclass
class Scope:
    """The documents a question names (empty: the whole corpus)."""

    mentions: list[Mention] = field(default_factory=list)
    #: Documents per naming: a comparison names two or more groups.
    groups: list[tuple[str, ...]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # doc_id -> how to name it

    @property
    def doc_ids(self) -> list[str]:
        return list(dict.fromkeys(d for g in self.groups for d in g))

    def __bool__(self) -> bool:
        return bool(self.groups)

    def to_dict(self) -> dict[str, Any]:
        """The ``scope`` of ``ask``/``search`` JSON."""
        return {
            "doc_ids": self.doc_ids,
            "groups": [list(g) for g in self.groups],
            "mentions": [
                {"text": m.text, "doc_ids": list(m.doc_ids), "by_kind": m.by_kind}
                for m in self.mentions
            ],
            "labels": {d: self.labels.get(d, d) for d in self.doc_ids},
        }


def _pattern(name: str) -> re.Pattern[str] | None:
    folded = fold(name).strip()
    if len(folded) < _MIN_NAME or not any(ch.isalpha() for ch in folded):
        return None
    words = [re.escape(w) for w in folded.split()]
    return re.compile(r"(?<![\w])" + r"[\s-]+".join(words) + r"(?![\w])")


def _split_parts(text: str, separators: str) -> list[str]:
    """``text``'s parts between ``separators`` (a pattern; "" keeps it whole)."""
    parts = re.split(separators, text) if separators else [text]
    return [p.strip(" .") for p in parts if p.strip(" .")]


def names_of(doc: DocumentRecord) -> list[str]:
    """Every name a question may use for ``doc``: aliases, publisher, author, title, with
    their parenthesised short forms and the parties of a list of publishers."""
    names: list[str] = list(doc.aliases)
    separators = (
        # "VVD, D66, CDA en ChristenUnie" is a list of parties; "Ministerie van
        # Volksgezondheid, Welzijn en Sport" one body, named by its domain ("X van Y")
        (doc.publisher, "" if names_one_body(doc.publisher) else r",|\s(?:en|and|&)\s"),
        (doc.author, r","),  # "Name, function"
        (doc.title, r"\.\s|:\s"),  # "Title. Subtitle"
    )
    for value, sep in separators:
        if not value:
            continue
        names.append(value)
        names.extend(_PAREN.findall(value))
        bare = _PAREN.sub("", value).strip()
        names.append(bare)
        parts = _split_parts(bare, sep)
        names.extend(parts)
        if value is doc.author:  # a person is also named by the surname ("Dortmans")
            names.extend(
                p.split()[-1]
                for p in parts
                if len(p.split()) >= 2 and all(w[:1].isupper() for w in p.split())
            )
    names.extend(f"gemeente {p}" for p in places_of(doc))
    names.extend(_enacted_names(doc.title))
    names.extend(_file_name(doc.doc_id))
    names.extend(a for n in list(names) if (a := acronym(n)))
    names.extend(_YEAR_END.sub("", n) for n in list(names) if _YEAR_END.search(n))
    written = _written_words()
    seen: dict[str, str] = {}
    for n in names:
        n = " ".join(n.split())
        # a single lower-case word is too generic to name a document ("jeugd"); a title that
        # is only the kind of the document being written ("Coalitieakkoord") names none
        if fold(n).strip(" .") in written:
            continue
        if len(n) >= _MIN_NAME and (" " in n or any(c.isupper() for c in n) or n in doc.aliases):
            seen.setdefault(fold(n), n)
    return list(seen.values())


#: A law's formal title names the law it enacts: "Wet van 30 mei 1968, houdende vaststelling
#: (van de) Leerplichtwet 1969"; the name is the capitalised phrase that follows.
_ENACTING = re.compile(
    rf"\bhoudende\s+(?:vaststelling|invoering)\s+(?:van\s+(?:de|het|een)\s+)?([{_UP}][^,;()]+)"
)
#: A name ending in a year, period or date ("Leerplichtwet 1969", "Jeugdplan 2024-2028",
#: "Normenbrief 1 januari 2026") is also used without it.
_YEAR_END = re.compile(
    rf"\s+(?:\d{{1,2}}\s+(?:{'|'.join(DUTCH_MONTHS)})\s+)?(?:19|20)\d\d"
    r"(?:\s*[-–]\s*(?:19|20)?\d\d)?$",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)  # every document's names are read for every question
def acronym(name: str) -> str:
    """The initials a name is abbreviated by, the Dutch way: the first letter of each word but
    articles and prepositions, and of a compound's final kind word ("Wet publieke
    gezondheid" -> "WPG", "Algemene Kinderbijslagwet" -> "AKW", "Wet werk en bijstand" ->
    "WWB"). Only for a name of several parts, three to five letters long."""
    words = [w for w in re.findall(r"[^\W\d_]+", name) if fold(w) not in NAME_FUNCTION_WORDS]
    if not words or not words[0][:1].isupper() or any(w.isupper() for w in words):
        return ""
    if "," in name or len(words) > 5 or not _names_a_kind(words):
        return ""  # only a document's own short name: "Wet ...", "... Kinderbijslagwet"
    letters = []
    for w in words:
        letters.append(w[0])
        kind = compound_kind(fold(w))
        if kind:
            letters.append(kind[0])
    short = "".join(letters).upper()
    return short if 3 <= len(short) <= 5 else ""


def _names_a_kind(words: list[str]) -> bool:
    """Whether a name says what kind of document it is, by its head word ("Wet publieke
    gezondheid") or its last word's end ("Algemene Kinderbijslagwet")."""
    return bool(kind_of_title(" ".join(words)) or compound_kind(fold(words[-1])))


def _enacted_names(title: str) -> list[str]:
    return [" ".join(m.group(1).split()) for m in _ENACTING.finditer(title or "")]


def _file_name(doc_id: str) -> list[str]:
    """A file named after its kind's compound ("pleegkinderenwet.md", "jeugdnota-2024.pdf"):
    users name files as they name the document. Only a single compound with a kind word at
    its end counts, never the bare kind word or a generic file name."""
    words = [w for w in re.split(r"[-_\s.]+", doc_id) if w and not w.isdigit()]
    if len(words) != 1:
        return []
    word = words[0]
    if word.lower() in kind_words() or not kind_of_title(word):
        return []
    return [word[:1].upper() + word[1:]]


def places_of(doc: DocumentRecord) -> list[str]:
    """The municipality a document is by or about: its ``place`` (set, or inferred at
    ingest), else each "gemeente X" in its publisher, title and author."""
    found = [doc.place]
    for value in (doc.publisher, doc.title, doc.author):
        found.extend(m.group(1) for m in _GEMEENTE.finditer(value or ""))
    out: dict[str, str] = {}
    for place in found:
        place = " ".join(place.split()).strip(" .,")
        if len(place) >= _MIN_NAME:
            out.setdefault(fold(place), place)
    return list(out.values())


def _skeleton(word: str) -> str:
    """A word with doubled letters single: "Nijmeeg"/"Nijmeg", "Zwoll"/"Zwol" compare equal."""
    return re.sub(r"(.)\1+", r"\1", word)


def place_stems(place: str) -> set[str]:
    """The stems a place's adjectives are built on, by the Dutch rules: the name itself
    (Utrecht-se, Zeist-er), without a final -en (Leid-se, Groning-er, Nijmeeg-se) or a final
    vowel (Goud-se, Zwol-se, Almeer-se), without a leading article (Haag-se)."""
    name = fold(place).strip()
    name = re.sub(r"^(?:(?:den|de)\s+|'s-)", "", name)
    stems = {name}
    if name.endswith("en") and len(name) > _MIN_STEM + 2:
        stems.add(name[:-2])
    if name[-1:] in ("a", "e") and len(name) > _MIN_STEM + 1:
        stems.add(name[:-1])
    return {_skeleton(s) for s in stems if len(s) >= _MIN_STEM and " " not in s}


def adjective_stems(word: str) -> set[str]:
    """The place stems a word may be the adjective of ("zeister" -> "zeist", "leidse" ->
    "leid"): each way of removing an adjectival ending."""
    w = fold(word)
    return {
        _skeleton(w[: -len(end)])
        for end in _ADJECTIVE_ENDINGS
        if w.endswith(end) and len(w) - len(end) >= _MIN_STEM
    }


def short_name(doc: DocumentRecord) -> str:
    """How an answer names a document: its publisher's short form, else its title's short
    form ("Jeugdwet"), else its title in quotes (never conjugated as a plural subject)."""
    publisher = _PAREN.sub("", doc.publisher).strip()
    short_title = _PAREN.findall(doc.title)
    title = " ".join(doc.title.split())
    return publisher or (short_title[0] if short_title else f"‘{title}’" if title else doc.doc_id)


def fold_aligned(text: str) -> str:
    """Folded text of the same length as ``text`` (offsets stay valid)."""
    return "".join(fold(ch)[:1] or ch for ch in text)


def _own(folded: str, start: int) -> bool:
    before = folded[:start].split()[-2:]
    return any(w in _OWN for w in before)


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    name: str
    doc_ids: tuple[str, ...]
    by_kind: bool


_DocKey = tuple[str, tuple[str, ...], str, tuple[str, ...]]


@lru_cache(maxsize=8)
def _matchers(docs: tuple[_DocKey, ...]) -> tuple[_Matcher, ...]:
    """Compiled patterns for (doc_id, names, type, places): names first, longest first."""
    by_name: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for doc_id, names, _, _ in docs:
        for n in names:
            by_name.setdefault(fold(n), set()).add(doc_id)
            shown.setdefault(fold(n), n)
    out: list[_Matcher] = []
    for key in sorted(by_name, key=len, reverse=True):
        pat = _pattern(key)
        if pat is not None:
            out.append(_Matcher(pat, shown[key], tuple(sorted(by_name[key])), False))
    for kind in load_kinds():
        ids = tuple(sorted(d for d, _, t, _ in docs if t == kind.type))
        if not ids:
            continue
        for word in sorted(kind.words, key=len, reverse=True):
            pat = _pattern(word)
            if pat is not None:
                out.append(_Matcher(pat, word, ids, True))
    return tuple(out)


@lru_cache(maxsize=8)
def _place_index(docs: tuple[_DocKey, ...]) -> tuple[dict[str, tuple[str, ...]], ...]:
    """(place name -> documents, adjective stem -> documents) for the documents' places."""
    names: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    for doc_id, _, _, places in docs:
        for place in places:
            names.setdefault(fold(place), set()).add(doc_id)
            for stem in place_stems(place):
                stems.setdefault(stem, set()).add(doc_id)
    return (
        {k: tuple(sorted(v)) for k, v in names.items()},
        {k: tuple(sorted(v)) for k, v in stems.items()},
    )


def _place_mentions(question: str, folded: str, key: tuple[_DocKey, ...]) -> list[Mention]:
    """A place alone ("wat zegt Zeist", "de coalitie in Zeist", "het akkoord van Zeist") or
    an adjective of it ("het Zeister akkoord", "de Utrechtse aanpak"). A place is a proper
    name: when the question uses capitals, only a capitalised word counts ("het best" is not
    the municipality of Best)."""
    names, stems = _place_index(key)
    if not names:
        return []
    cased = any(ch.isupper() for ch in question[1:])
    out: list[Mention] = []
    for name, ids in names.items():
        pat = _pattern(name)
        if pat is None:
            continue
        for hit in pat.finditer(folded):
            a, b = hit.span()
            if not cased or question[a].isupper() or question[a] == "'":
                out.append(Mention(question[a:b], a, b, ids))
    for hit in re.finditer(r"[^\W\d_]+", folded):
        a, b = hit.span()
        if cased and not question[a].isupper():
            continue
        ids = tuple(sorted({d for s in adjective_stems(hit.group()) for d in stems.get(s, ())}))
        if ids:
            out.append(Mention(question[a:b], a, b, ids))
    return out


def about_writing(question: str) -> bool:
    """Whether a question asks what the user's own document should say ("wat moeten we in
    het coalitieakkoord opnemen?", "what should the coalition agreement say?") rather than
    what a source says ("wat zegt het coalitieakkoord?")."""
    return bool(_WRITING.search(fold(question)))


def _cited(folded: str, start: int) -> bool:
    """A mention cited as a source even in a question about writing: "wat moet er volgens
    het coalitieakkoord ...", "according to the coalition agreement, what should ..."."""
    return bool(_SOURCE_CUE.search(folded[:start]))


def resolve(question: str, documents: Iterable[DocumentRecord], lang: str = "nl") -> Scope:
    """The documents ``question`` names, grouped per mention (see the module docstring)."""
    docs = [d for d in documents if d.status != "failed"]
    key = tuple((d.doc_id, tuple(names_of(d)), d.doc_type, tuple(places_of(d))) for d in docs)
    folded = fold_aligned(question)
    written = _written_words()
    writing = about_writing(question)
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    found = [
        Mention(question[h.start() : h.end()], *h.span(), m.doc_ids, m.by_kind)
        for m in _matchers(key)
        for h in m.pattern.finditer(folded)
    ]
    # longer spans first: "gemeente Zeist" before "Zeist", a name before a kind word in it
    # an English name that translates one document's ("the Public Health Act")
    found += [
        Mention(question[a:b], a, b, (doc_id,))
        for a, b, doc_id in english_mentions(question, [(d, t, n) for d, n, t, _ in key])
    ]
    candidates = sorted(
        [*found, *_place_mentions(question, folded, key)],
        key=lambda m: (m.by_kind, -(m.end - m.start), m.start),
    )
    for m in candidates:
        if any(m.start < y and x < m.end for x, y in taken):
            continue
        taken.append((m.start, m.end))
        if _own(folded, m.start):
            continue
        if m.by_kind and writing and fold(m.text) in written and not _cited(folded, m.start):
            continue  # the document being written, not a source
        mentions.append(m)
    mentions.sort(key=lambda m: m.start)
    # A kind word that takes in a named document ("VNG-brief", "the VNG letter", "het
    # Zeister akkoord") only repeats the name; a kind beside other names ("de VNG en het
    # coalitieakkoord") or alone ("the letters") names every document of that kind.
    named_ids = {d for m in mentions if not m.by_kind for d in m.doc_ids}
    chosen = [m for m in mentions if not (m.by_kind and named_ids & set(m.doc_ids))]
    topic = _TOPIC.search(folded)
    if topic and any(m.start < topic.start() for m in chosen):
        chosen = [m for m in chosen if m.start < topic.start()]
    groups: list[tuple[str, ...]] = []
    for m in chosen:
        if m.doc_ids not in groups:
            groups.append(m.doc_ids)
    by_id = {d.doc_id: d for d in docs}
    labels = {d: short_name(by_id[d]) for g in groups for d in g}
    return Scope(mentions=chosen, groups=groups, labels=labels)


def kind_label(doc_type: str, lang: str) -> str:
    for kind in load_kinds():
        if kind.type == doc_type:
            return kind.label.get(lang, kind.label.get("nl", ""))
    return "document"


#: "volgens de branche", "according to the providers' association": the words after the cue
#: name whom the question asks.
_ATTRIBUTION = re.compile(r"\b(?:volgens|according to|in de ogen van|in the view of)\s+")
_ARTICLES = frozenset({"de", "het", "een", "the", "a", "an"})
_ASKING = frozenset({"welke", "welk", "wat", "wie", "hoe", "which", "what", "whom", "how"})


def attributions(question: str) -> list[str]:
    """The phrases that attribute a question to a source, as written: the cue, an article,
    one noun and the capitalised words of a name after it ("volgens de branche", "according
    to the Jeugdzorg Nederland", "according to the providers' association"). They say whom
    to ask, not what about, whether or not they name a document. Not "volgens welke regels":
    there the phrase is what is asked."""
    out: list[str] = []
    for cue in _ATTRIBUTION.finditer(question):
        words = list(re.finditer(r"[\w'’-]+", question[cue.end() :]))
        if words and fold(words[0].group()) in _ARTICLES:
            words = words[1:]
        if not words or fold(words[0].group()) in _ASKING:
            continue
        end = words[0].end()
        for prev, w in pairwise(words):
            between = question[cue.end() + prev.end() : cue.end() + w.start()]
            named = w.group()[0].isupper() or prev.group()[-1] in "'’"
            if between.strip() or not named:
                break
            end = w.end()
        out.append(question[cue.start() : cue.end() + end])
    return out


def names_a_source(question: str, name: str) -> bool:
    """Whether ``name`` stands where a question names its sources: in its attribution
    ("volgens de normenbrief", "according to the VNG") when it has one, else before its topic
    marker ("wat zeggen de VNG en Ingrado over ..."), not in the topic ("... over
    Amsterdam"). Where an attribution names the source, a name before an "over" is part of
    what is asked: "volgens de normenbrief de werkgeversheffing Zvw over de bijstand"."""
    folded, target = fold_aligned(question), fold(name)
    at = folded.find(target)
    if at == -1:
        return False
    said = attributions(question)
    if said:
        return any(target in fold(phrase) for phrase in said)
    topic = _TOPIC.search(folded)
    return topic is not None and at < topic.start()
