"""The chapter workspace: draft clauses collected from answers and the topic matrix.

A chapter is one JSON file under ``<index>/chapters/`` (outside the index generations, so it
survives a re-ingest), written atomically (temp file, fsync, rename) under a file lock, so
the CLI and every browser tab of the chat UI share it. Each change names the version it was
made on; a change made on an older version is refused (:class:`VersionConflict`) instead of
silently overwriting another tab's edit.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.core.errors import CodedError
from assistant.core.text import match_key
from assistant.core.types import Chunk, Citation

FOLDER = "chapters"
DEFAULT_CHAPTER = "concepthoofdstuk"
MAX_CLAUSE_CHARS = 5000
MAX_NAME_CHARS = 80
_MARK = re.compile(r"\s*\[(\d+)\]")
_NAME = re.compile(r"[^a-z0-9-]+")


class ChapterError(CodedError, ValueError):
    """A request the chapter cannot carry out (unknown position, empty text ...)."""

    code = "chapter_usage"


class VersionConflict(ChapterError):
    """The chapter changed since the caller read it (another tab or the CLI)."""

    kind = "conflict"  # how the faces report it (core.errors.KINDS)
    code = "chapter_conflict"

    def __init__(self, name: str, expected: int, current: int) -> None:
        super().__init__(name=name, expected=expected, current=current)
        self.current = current


@dataclass(frozen=True)
class ClauseSource:
    """Where a clause comes from: enough to cite it in a footnote without the index."""

    chunk_id: str
    doc_id: str
    title: str
    publisher: str
    date: str
    kind: str
    page: int | None
    item: str
    section: str
    quote: str

    @classmethod
    def of(cls, chunk: Chunk, quote: str) -> ClauseSource:
        return cls(
            chunk.chunk_id,
            chunk.doc_id,
            chunk.title,
            chunk.publisher,
            chunk.date,
            chunk.kind,
            chunk.page,
            chunk.item,
            chunk.section,
            " ".join(quote.split()),
        )


@dataclass(frozen=True)
class Clause:
    """One clause: its text with ``[n]`` marks pointing at ``sources[n-1]``."""

    id: str
    text: str
    sources: tuple[ClauseSource, ...]
    origin: str = ""  # "answer: <question>", "matrix: <topic>", "cli"
    original: str = ""  # the text as added; differs from ``text`` once edited
    added: str = ""

    @property
    def edited(self) -> bool:
        return self.text != self.original

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["sources"] = [asdict(s) for s in self.sources]
        out["edited"] = self.edited
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Clause:
        return cls(
            id=str(d["id"]),
            text=str(d["text"]),
            sources=tuple(ClauseSource(**s) for s in d.get("sources", [])),
            origin=str(d.get("origin", "")),
            original=str(d.get("original", d["text"])),
            added=str(d.get("added", "")),
        )


@dataclass(frozen=True)
class Chapter:
    name: str
    version: int = 0
    clauses: tuple[Clause, ...] = ()
    updated: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "updated": self.updated,
            "clauses": [c.to_dict() for c in self.clauses],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Chapter:
        return cls(
            name=str(d["name"]),
            version=int(d.get("version", 0)),
            clauses=tuple(Clause.from_dict(c) for c in d.get("clauses", [])),
            updated=str(d.get("updated", "")),
        )


def new_clause(text: str, sources: Sequence[ClauseSource], origin: str) -> Clause:
    """A clause whose ``[n]`` marks are renumbered to its own sources (only those cited;
    a text without marks cites all its sources at its end)."""
    text = " ".join(text.split())
    if not text:
        raise ChapterError("clause_empty")
    if len(text) > MAX_CLAUSE_CHARS:
        raise ChapterError("clause_too_long", n=MAX_CLAUSE_CHARS)
    cited = [int(n) for n in _MARK.findall(text)]
    if not cited and sources:
        text += "".join(f" [{i}]" for i in range(1, len(sources) + 1))
        cited = list(range(1, len(sources) + 1))
    order = [n for n in dict.fromkeys(cited) if 1 <= n <= len(sources)]
    renumber = {old: new for new, old in enumerate(order, 1)}
    text = _MARK.sub(
        lambda m: f" [{renumber[int(m.group(1))]}]" if int(m.group(1)) in renumber else "", text
    )
    kept = tuple(sources[n - 1] for n in order)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return Clause(uuid.uuid4().hex[:12], text, kept, origin, text, now)


def clause_from_answer(
    clause: str, citations: Sequence[Citation], chunks: Mapping[str, Chunk], question: str
) -> Clause:
    """The clause of an answer, its ``[n]`` pointing at the answer's citations."""
    by_n = {c.n: c for c in citations}
    sources = [
        ClauseSource.of(chunks[by_n[n].chunk_id], by_n[n].quote)
        for n in range(1, max(by_n, default=0) + 1)
        if n in by_n and by_n[n].chunk_id in chunks
    ]
    return new_clause(clause, sources, f"answer: {question}")


def clause_from_position(position: Any, topic: str) -> Clause:
    """A clause from a document's position in the matrix: its own clause text (a
    tekstsuggestie), its recommendation turned into "Wij ..." sentences, or else its key
    sentence; cited to the passage."""
    from assistant.answering.draft import Quote, best_sentence, draft_clause, query_terms

    if not position.hits:
        raise ChapterError("not_addressed_clause", publisher=position.publisher, topic=topic)
    hit = position.hits[0]
    span = best_sentence(hit, query_terms(topic)) or (0, len(hit.chunk.text))
    quote = Quote(1, hit, span[0], span[1])
    text, _, _ = draft_clause([quote], "nl")
    if not text:
        text = f"{position.quotes[0].gist} [1]"
    source = ClauseSource.of(hit.chunk, quote.text)
    return new_clause(text, [source], f"matrix: {topic}")


def missing_sources(clause: Clause, chunks: Sequence[Chunk]) -> list[ClauseSource]:
    """The clause's sources whose passage is no longer in the corpus: neither the same chunk
    nor, in the same document, a passage containing its quote (a re-chunked document)."""
    ids = {c.chunk_id for c in chunks}
    out = []
    for s in clause.sources:
        if s.chunk_id in ids:
            continue
        key = match_key(s.quote)
        if not any(c.doc_id == s.doc_id and key in match_key(c.text) for c in chunks):
            out.append(s)
    return out


def chapter_report(chapter: Chapter, chunks: Sequence[Chunk]) -> dict[str, Any]:
    """The chapter as JSON, each clause with the ids of its sources gone from the corpus
    (``chapter list --json`` and ``GET /api/chapters/{name}``)."""
    out = chapter.to_dict()
    for clause, data in zip(chapter.clauses, out["clauses"], strict=True):
        data["missing_sources"] = [s.chunk_id for s in missing_sources(clause, chunks)]
    return out


def chapter_name(name: str) -> str:
    """A safe file name for a chapter: lower case, digits and dashes."""
    slug = _NAME.sub("-", (name or "").strip().lower()).strip("-")[:MAX_NAME_CHARS]
    if not slug:
        raise ChapterError("chapter_name")
    return slug


def corpus_chunks(index_dir: Path) -> list[Chunk]:
    """The chunks of the index's current generation ([] before the first ingest); read
    without loading a model, so listing a chapter stays quick."""
    from assistant.store.index import gen_folder, load_chunks, read_pointer

    pointer = read_pointer(Path(index_dir))
    if pointer is None:
        return []
    return load_chunks(gen_folder(Path(index_dir), int(pointer["generation"])))


class ChapterStore:
    """Chapters under ``<index_dir>/chapters/``, one ``<name>.json`` each."""

    def __init__(self, index_dir: Path) -> None:
        self.folder = Path(index_dir) / FOLDER

    def _path(self, name: str) -> Path:
        return self.folder / f"{chapter_name(name)}.json"

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.json"))

    def get(self, name: str) -> Chapter:
        path = self._path(name)
        if not path.exists():
            return Chapter(chapter_name(name))
        return Chapter.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @contextlib.contextmanager
    def _locked(self, name: str) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / f".{chapter_name(name)}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, chapter: Chapter) -> None:
        path = self._path(chapter.name)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(chapter.to_dict(), fh, ensure_ascii=False, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def _change(self, name: str, expected: int | None, change: Any) -> Chapter:
        """Apply ``change(clauses) -> clauses`` to the newest version, refused when the
        caller saw an older version (``expected``; None: the CLI, which always reads first)."""
        with self._locked(name):
            current = self.get(name)
            if expected is not None and expected != current.version:
                raise VersionConflict(current.name, expected, current.version)
            clauses = tuple(change(list(current.clauses)))
            updated = replace(
                current,
                version=current.version + 1,
                clauses=clauses,
                updated=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            self._write(updated)
            return updated

    def add(self, name: str, clause: Clause, expected: int | None = None) -> Chapter:
        return self._change(name, expected, lambda cs: [*cs, clause])

    def move(self, name: str, position: int, to: int, expected: int | None = None) -> Chapter:
        """Move the clause at 1-based ``position`` to 1-based ``to``."""

        def change(cs: list[Clause]) -> list[Clause]:
            _check(cs, position)
            _check(cs, to)
            cs.insert(to - 1, cs.pop(position - 1))
            return cs

        return self._change(name, expected, change)

    def edit(self, name: str, position: int, text: str, expected: int | None = None) -> Chapter:
        """New wording for a clause; it keeps its sources (marks not in the new text are
        added at its end, so no source is dropped by an edit)."""
        text = " ".join((text or "").split())
        if not text:
            raise ChapterError("edit_empty")
        if len(text) > MAX_CLAUSE_CHARS:
            raise ChapterError("clause_too_long", n=MAX_CLAUSE_CHARS)

        def change(cs: list[Clause]) -> list[Clause]:
            _check(cs, position)
            old = cs[position - 1]
            marks = {int(n) for n in _MARK.findall(text)}
            body = _MARK.sub(
                lambda m: m.group(0) if 1 <= int(m.group(1)) <= len(old.sources) else "", text
            )
            body += "".join(f" [{n}]" for n in range(1, len(old.sources) + 1) if n not in marks)
            cs[position - 1] = replace(old, text=body)
            return cs

        return self._change(name, expected, change)

    def remove(self, name: str, position: int, expected: int | None = None) -> Chapter:
        def change(cs: list[Clause]) -> list[Clause]:
            _check(cs, position)
            del cs[position - 1]
            return cs

        return self._change(name, expected, change)


def _check(clauses: Sequence[Clause], position: int) -> None:
    if not 1 <= position <= len(clauses):
        if clauses:
            raise ChapterError("no_such_clause", position=position, count=len(clauses))
        raise ChapterError("chapter_is_empty")
