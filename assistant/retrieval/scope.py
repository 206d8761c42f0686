"""Which documents a question names: "de VNG", "het kabinet", "the letters", "de wet".

The resolver is data-driven: every document's names come from its index record (manifest
``aliases``, publisher, author and title, with their parenthesised short forms), and kinds of
document from ``data/document_kinds.toml`` and the manifest ``type``. A document a user adds
with a manifest entry is therefore named the same way as the bundled ones.

A mention preceded by a possessive ("ons coalitieakkoord", "our agreement") is the user's own
document, not a source; a name after the topic marker ("... over de Jeugdwet") is the topic
when the question already named its source before it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from assistant.store.lexical import _fold

KINDS_PATH = Path(__file__).resolve().parents[1] / "core" / "data" / "document_kinds.toml"
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


class DocumentRecord(Protocol):
    """What the resolver reads of a document (``assistant.index.FileRecord`` has it)."""

    doc_id: str
    title: str
    publisher: str
    author: str
    doc_type: str
    aliases: list[str]
    status: str


@dataclass(frozen=True)
class Kind:
    type: str
    words: tuple[str, ...]
    label: Mapping[str, str]


@lru_cache(maxsize=2)
def load_kinds(path: Path = KINDS_PATH) -> tuple[Kind, ...]:
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Kind(name, tuple(v.get("words", [])), dict(v.get("label", {}))) for name, v in data.items()
    )


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
    folded = _fold(name).strip()
    if len(folded) < _MIN_NAME or not any(ch.isalpha() for ch in folded):
        return None
    words = [re.escape(w) for w in folded.split()]
    return re.compile(r"(?<![\w])" + r"[\s-]+".join(words) + r"(?![\w])")


def _split_parts(text: str, separators: str) -> list[str]:
    return [p.strip(" .") for p in re.split(separators, text) if p.strip(" .")]


def names_of(doc: DocumentRecord) -> list[str]:
    """Every name a question may use for ``doc``: aliases, publisher, author, title, with
    their parenthesised short forms and the parties of a list of publishers."""
    names: list[str] = list(doc.aliases)
    separators = (
        (doc.publisher, r",|\s(?:en|and|&)\s"),  # "VVD, D66, CDA en ChristenUnie"
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
    seen: dict[str, str] = {}
    for n in names:
        n = " ".join(n.split())
        # a single lower-case word is too generic to name a document ("jeugd")
        if len(n) >= _MIN_NAME and (" " in n or any(c.isupper() for c in n) or n in doc.aliases):
            seen.setdefault(_fold(n), n)
    return list(seen.values())


def short_name(doc: DocumentRecord) -> str:
    """How an answer names a document: its publisher's short form, else its title."""
    publisher = _PAREN.sub("", doc.publisher).strip()
    short_title = _PAREN.findall(doc.title)
    return publisher or (short_title[0] if short_title else doc.title) or doc.doc_id


def fold_aligned(text: str) -> str:
    """Folded text of the same length as ``text`` (offsets stay valid)."""
    return "".join(_fold(ch)[:1] or ch for ch in text)


def _own(folded: str, start: int) -> bool:
    before = folded[:start].split()[-2:]
    return any(w in _OWN for w in before)


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    name: str
    doc_ids: tuple[str, ...]
    by_kind: bool


@lru_cache(maxsize=8)
def _matchers(docs: tuple[tuple[str, tuple[str, ...], str], ...]) -> tuple[_Matcher, ...]:
    """Compiled patterns for (doc_id, names, type) triples: names first, longest first."""
    by_name: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for doc_id, names, _ in docs:
        for n in names:
            by_name.setdefault(_fold(n), set()).add(doc_id)
            shown.setdefault(_fold(n), n)
    out: list[_Matcher] = []
    for key in sorted(by_name, key=len, reverse=True):
        pat = _pattern(key)
        if pat is not None:
            out.append(_Matcher(pat, shown[key], tuple(sorted(by_name[key])), False))
    for kind in load_kinds():
        ids = tuple(sorted(d for d, _, t in docs if t == kind.type))
        if not ids:
            continue
        for word in sorted(kind.words, key=len, reverse=True):
            pat = _pattern(word)
            if pat is not None:
                out.append(_Matcher(pat, word, ids, True))
    return tuple(out)


def resolve(question: str, documents: Iterable[DocumentRecord], lang: str = "nl") -> Scope:
    """The documents ``question`` names, grouped per mention (see the module docstring)."""
    docs = [d for d in documents if d.status != "failed"]
    key = tuple((d.doc_id, tuple(names_of(d)), d.doc_type) for d in docs)
    folded = fold_aligned(question)
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    for matcher in _matchers(key):
        for hit in matcher.pattern.finditer(folded):
            a, b = hit.span()
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            if _own(folded, a):
                continue
            mentions.append(Mention(question[a:b], a, b, matcher.doc_ids, matcher.by_kind))
    mentions.sort(key=lambda m: m.start)
    named = [m for m in mentions if not m.by_kind]
    # A kind word beside a name ("VNG-brief", "the VNG letter") only repeats it; a kind alone
    # ("the letters") names every document of that kind.
    chosen = named or mentions
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


def names_a_source(question: str, name: str) -> bool:
    """Whether ``name`` stands where a question names its sources: before its topic marker
    ("wat zeggen de VNG en Ingrado over ..."), not in the topic ("... over Amsterdam")."""
    folded, target = fold_aligned(question), _fold(name)
    at = folded.find(target)
    if at == -1:
        return False
    topic = _TOPIC.search(folded)
    return topic is not None and at < topic.start()
