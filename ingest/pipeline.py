"""Incremental, crash-safe ingestion of the corpus folders into a new index generation."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.core.settings import Settings
from assistant.core.types import Chunk
from assistant.providers.embeddings import get_embedder
from assistant.store.index import FileRecord, Generation, ingest_lock, load_chunks, read_current
from assistant.store.representation import REPRESENTATION_VERSION, vector_plan
from assistant.store.writer import GenerationWriter, Skipped, WindowCut
from ingest.chunking import DocInfo, chunk_document
from ingest.clean import CleanDocument, clean, clean_parts
from ingest.errors import CorpusMissing, IngestCancelled, IngestError
from ingest.formats import supported_names
from ingest.limits import MAX_CHUNKS_PER_FILE, cap_chunks, shorten_long_words
from ingest.loaders import RawDocument, load
from ingest.manifest import (
    METADATA_FIELDS,
    CorpusFile,
    discover,
    file_sha256,
    slug,
    title_from_name,
)
from ingest.metadata import infer, place_of, plausible_name
from ingest.ocr import Ocr

#: OCR results by file content hash and page, next to the embedding cache.
OCR_CACHE = "ocr.sqlite"

#: Bump when cleaning or chunking changes, so every file is re-chunked once (6: chunks store
#: their sentence spans; an index from 5 still works, its chunks are segmented when read;
#: 7: an over-long numbered item is kept as several chunks of its number, not a chapter title;
#: 8: metadata inferred from the text, a ``place`` per chunk, page furniture by repetition;
#: 10: the place a document's first heading names when it has no title property).
CHUNKER_VERSION = "15"

log = logging.getLogger(__name__)


class Progress:
    """Receives ingest progress; the CLI draws bars, the UI a progress indicator."""

    def files(self, total: int) -> None: ...
    def file_start(self, key: str) -> None:
        """``key`` is being read now (a big file can take a while: name it)."""

    def file_done(self, key: str, status: str) -> None: ...
    def embedding(self, total: int) -> None: ...
    def embedded(self, n: int) -> None: ...
    def message(self, text: str) -> None: ...
    def ocr_page(self, key: str, page: int, done: int, total: int) -> None:
        """A scanned page was read (``done`` of ``total`` in this file): OCR is slow."""


@dataclass
class IngestSummary:
    generation: int = 0
    files: int = 0
    pages: int = 0
    ocr_pages: int = 0
    ocr_read: int = 0  # pages Tesseract read in this run (the rest came from the OCR cache)
    tables: int = 0
    chunks: int = 0
    unchanged: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    embedded: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: (file, what of it was left out of the index): over-long strings, passages cut to the
    #: embedding model's window, files beyond the passage limit (``ingest.limits``).
    truncated: list[tuple[str, str]] = field(default_factory=list)
    #: PDF pages without a text layer (scanned?) in files that were otherwise ingested.
    pages_without_text: dict[str, list[int]] = field(default_factory=dict)
    #: (file, {field: value}) of what was inferred from the document rather than set in the
    #: manifest, for files read in this run (``ingest.metadata``).
    inferred: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    #: Files whose manifest metadata changed: applied to their passages, nothing re-read.
    metadata_updated: int = 0
    up_to_date: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _fingerprint(sha: str, entry: dict[str, str]) -> str:
    """What decides a file's passages: its content, the manifest fields other than the
    describing ones (:data:`METADATA_FIELDS`), and the chunker and representation versions."""
    shaping = {k: v for k, v in entry.items() if k not in METADATA_FIELDS and k != "file"}
    blob = json.dumps([sha, shaping, CHUNKER_VERSION, REPRESENTATION_VERSION], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def manifest_metadata(entry: dict[str, str]) -> dict[str, str]:
    """The describing fields a manifest entry sets (empty ones are not set)."""
    return {k: v.strip() for k in METADATA_FIELDS if (v := entry.get(k, "")).strip()}


def _auto_metadata(cf: CorpusFile, raw: RawDocument, doc: CleanDocument) -> dict[str, str]:
    """Title, publisher, place and date as the document states them (``ingest.metadata``),
    file properties filling the gaps; the title falls back to the file name."""
    headings = [
        doc.title_hint,
        *(doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"),
    ]
    found = infer(raw.meta, doc.text, [h for h in headings if h], cf.path, doc.letterhead)
    return {
        "title": (found.title or title_from_name(cf.path))[:200],
        "publisher": found.publisher or plausible_name(raw.meta.get("author", "")),
        "place": found.place,
        "date": found.date,
        "type": found.doc_type,
    }


def resolve_metadata(
    entry: dict[str, str], auto: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The document's title, publisher, place and date: the manifest's where it sets them
    (it always wins), else what was inferred; and the names of the inferred fields.

    An inferred place is dropped when the manifest names another publisher; a manifest
    publisher "Gemeente X" gives the place X."""
    out: dict[str, str] = {}
    inferred: list[str] = []
    for name in ("title", "publisher", "date"):
        out[name] = entry.get(name, "").strip()
        if not out[name] and auto.get(name):
            out[name] = auto[name]
            inferred.append(name)
    place = entry.get("place", "").strip()
    if not place and entry.get("publisher", "").strip():
        place = place_of(entry["publisher"])
    elif not place and auto.get("place"):
        place = auto["place"]
        inferred.append("place")
    out["place"] = place
    return out, inferred


def _doc_info(cf: CorpusFile, raw: RawDocument, doc: CleanDocument, doc_id: str) -> DocInfo:
    raw.auto = _auto_metadata(cf, raw, doc)
    meta, _ = resolve_metadata(cf.entry, raw.auto)
    return DocInfo(
        doc_id=doc_id,
        title=meta["title"],
        publisher=meta["publisher"],
        date=meta["date"],
        doc_type=doc_type(cf.entry, raw.auto),
        source=cf.key,
        place=meta["place"],
        ocr_pages=frozenset(raw.ocr_pages),
    )


def textless_note(pages: list[int], total: int) -> str:
    """ "pages 2, 4, 6 of 6 have no text layer (scanned?)": their content is not searchable."""
    shown = ", ".join(map(str, pages))
    word = "page" if len(pages) == 1 else "pages"
    verb = "has" if len(pages) == 1 else "have"
    return f"{word} {shown} of {total} {verb} no text layer (scanned?); not searchable"


def _window_notes(cuts: list[WindowCut], records: dict[str, FileRecord]) -> list[tuple[str, str]]:
    """Per file and model: how many of its passages embedded in this run were longer than
    the model's window, so only their beginning is in that model's vector."""
    key_of = {r.doc_id: k for k, r in records.items()}
    return [
        (
            key_of.get(cut.doc_id, cut.doc_id),
            f"{cut.passages} passage{'s' if cut.passages != 1 else ''} longer than the window "
            f"of {cut.model} ({cut.window_tokens} tokens): only the beginning is in its vector",
        )
        for cut in cuts
    ]


class _EmbedReport:
    """Embedding progress for the writer: reported, then the ingest stops there when the user
    cancelled (what is embedded so far stays in the cache)."""

    def __init__(self, progress: Progress, cancel: threading.Event | None) -> None:
        self.progress = progress
        self.cancel = cancel

    def embedding(self, total: int) -> None:
        self.progress.embedding(total)

    def embedded(self, n: int) -> None:
        self.progress.embedded(n)
        check_cancelled(self.cancel)


def doc_type(entry: dict[str, str], auto: dict[str, str]) -> str:
    """The manifest's type, else the kind the title names ("Verordening ..."), else document."""
    return entry.get("type", "").strip() or auto.get("type", "") or "document"


def _plan(settings: Settings, cf: CorpusFile, chunks: int) -> str:
    """The vectors this file's chunks get (JEUGDAKKOORD_SENTENCE_VECTORS, manifest type, size).

    Only a manifest's type saves vectors: a law a user adds is one of their own documents, so
    its sentences are embedded too, whatever kind its title names."""
    return vector_plan(
        settings.sentence_vectors,
        cf.entry.get("type", "document"),
        chunks,
        settings.vector_prefix_chars,
    )


def make_ocr(settings: Settings) -> Ocr | None:
    """The OCR reader ingest uses (its cache lives with the index), None when switched off."""
    if not settings.ocr:
        return None
    return Ocr(settings.index_dir / OCR_CACHE, lang=settings.ocr_lang, jobs=settings.ocr_jobs)


def process_file(
    cf: CorpusFile, doc_id: str, ocr: Ocr | None = None
) -> tuple[list[Chunk], RawDocument]:
    """Load, clean and chunk one file (raises IngestError for bad files); what was left out
    of the index (``ingest.limits``) is noted in ``raw.truncated``."""
    raw = load(cf.path, ocr)
    if raw.parts:
        texts, note = shorten_long_words([(i, p.text) for i, p in enumerate(raw.parts)])
        doc = clean_parts([replace(p, text=t) for p, (_, t) in zip(raw.parts, texts, strict=True)])
    else:
        pages, note = shorten_long_words(raw.pages)
        doc = clean(pages)
    raw.truncated.extend([note] if note else [])
    chunks = chunk_document(doc, _doc_info(cf, raw, doc, doc_id))
    if not chunks:
        raise IngestError("no text found after cleaning")
    note = cap_chunks(len(chunks))
    raw.truncated.extend([note] if note else [])
    return chunks[:MAX_CHUNKS_PER_FILE], raw


def _confined(
    files: list[CorpusFile], folders: tuple[Path, ...]
) -> tuple[list[CorpusFile], list[tuple[str, str]]]:
    """The files that really live in a corpus folder, and the skipped rest: a symbolic link
    out of the folder (to ~/.ssh, /etc) must never pull that file into the index."""
    roots = [folder.resolve() for folder in folders]
    inside: list[CorpusFile] = []
    outside: list[tuple[str, str]] = []
    for cf in files:
        real = cf.path.resolve()
        if any(real.is_relative_to(root) for root in roots):
            inside.append(cf)
        else:
            outside.append((cf.key, "links to a file outside the corpus folder"))
    return inside, outside


def _assign_doc_ids(files: list[CorpusFile], previous: dict[str, FileRecord]) -> dict[str, str]:
    """Stable, unique document ids: keep the previous id of a file, else slug of its name."""
    ids: dict[str, str] = {}
    used = {r.doc_id for k, r in previous.items() if k in {f.key for f in files}}
    for cf in files:
        if cf.key in previous:
            ids[cf.key] = previous[cf.key].doc_id
    for cf in files:
        if cf.key in ids:
            continue
        base = slug(cf.path.stem)
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        ids[cf.key] = candidate
    return ids


def check_cancelled(cancel: threading.Event | None) -> None:
    """Raise IngestCancelled when the user asked to stop (checked between files and between
    embedding batches: the new generation is never switched to, the current one stays)."""
    if cancel is not None and cancel.is_set():
        raise IngestCancelled("the ingest was cancelled; the previous index stays in use")


def _cancellable(
    hook: Callable[[str], None], cancel: threading.Event | None
) -> Callable[[str], None]:
    """``hook``, stopping first when the ingest was cancelled (every named point before the
    switch to the new generation is a safe place to stop)."""

    def checked(point: str) -> None:
        if point != "after_switch":
            check_cancelled(cancel)
        hook(point)

    return checked


def ingest(
    settings: Settings,
    rebuild: bool = False,
    progress: Progress | None = None,
    hook: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> IngestSummary:
    """Bring the index up to date with the corpus folders.

    ``hook`` is called at named points (tests use it to simulate crashes); setting ``cancel``
    stops the ingest with IngestCancelled before it switches to a new generation.
    """
    progress = progress or Progress()
    hook = _cancellable(hook or (lambda point: None), cancel)

    started = time.perf_counter()
    summary = IngestSummary()
    _check_corpus_folders(settings)
    index_dir = settings.index_dir
    with ingest_lock(index_dir):
        files, skipped = _scan(settings, summary)
        embedder = get_embedder(settings.embedder, settings)
        prev = read_current(index_dir)
        rebuild = _model_changed(prev, embedder.model_id, summary) or rebuild
        second = None if settings.ensemble == "none" else get_embedder(settings.ensemble, settings)
        second_id = second.model_id if second is not None else ""
        # A new ensemble setting rewrites the vectors (from the cache where it can), no more.
        views_changed = prev is not None and prev.ensemble_model_id != second_id
        prev_files = prev.files if prev else {}
        prev_chunks = _previous_chunks(prev, rebuild)
        records, all_chunks = _process_files(
            settings, files, prev_files, prev_chunks, rebuild, progress, summary, cancel
        )
        _tally(summary, records, all_chunks)
        if not all_chunks:
            summary.warnings.append(_empty_index_warning(settings, files))
        if (
            prev is not None
            and not rebuild
            and not views_changed
            and _nothing_changed(summary, prev_files)
        ):
            summary.generation = prev.number
            summary.up_to_date = True
            summary.seconds = time.perf_counter() - started
            return summary

        writer = GenerationWriter(settings, embedder, second, hook)
        with writer:
            writer.begin(prev)
            writer.add(all_chunks, records, skipped)
            written = writer.commit(_EmbedReport(progress, cancel))
        summary.embedded = written.embedded
        summary.truncated.extend(_window_notes(written.cuts, records))
        summary.generation = written.generation.number
        summary.seconds = time.perf_counter() - started
        return summary


def _check_corpus_folders(settings: Settings) -> None:
    """Fail before taking the lock: a mistyped folder must not empty the index."""
    for folder in settings.corpus_dirs:
        if not folder.is_dir():
            raise CorpusMissing(f"corpus folder {folder} does not exist")


def _scan(settings: Settings, summary: IngestSummary) -> tuple[list[CorpusFile], list[Skipped]]:
    """The corpus files to ingest and the skipped ones (noted in ``summary`` for the user)."""
    found, skipped, problems = discover(settings.corpus_dirs)
    files, outside = _confined(found, settings.corpus_dirs)
    skipped = [*skipped, *outside]
    summary.skipped = skipped
    summary.warnings.extend(problems)
    return files, skipped


def _model_changed(prev: Generation | None, model_id: str, summary: IngestSummary) -> bool:
    """True (with a warning) when the index was built with another model: vectors of two
    models are not comparable, so everything is re-embedded."""
    if prev is not None and prev.model_id != model_id:
        summary.warnings.append(
            f"embedding model changed ({prev.model_id} -> {model_id}); re-embedding"
        )
        return True
    return False


def _previous_chunks(prev: Generation | None, rebuild: bool) -> dict[str, list[Chunk]]:
    """The current generation's chunks by document, reused for files that did not change."""
    prev_chunks: dict[str, list[Chunk]] = {}
    if prev is not None and not rebuild:
        for c in load_chunks(prev.folder):
            prev_chunks.setdefault(c.doc_id, []).append(c)
    return prev_chunks


def _process_files(
    settings: Settings,
    files: list[CorpusFile],
    prev_files: dict[str, FileRecord],
    prev_chunks: dict[str, list[Chunk]],
    rebuild: bool,
    progress: Progress,
    summary: IngestSummary,
    cancel: threading.Event | None = None,
) -> tuple[dict[str, FileRecord], list[Chunk]]:
    """Each file's record and chunks: unchanged files reuse their previous chunks, so only
    new and changed files pay for loading, OCR and chunking. Whatever goes wrong with one
    file is that file's failure; the others are ingested."""
    doc_ids = _assign_doc_ids(files, prev_files)
    ocr = make_ocr(settings)
    progress.files(len(files))
    records: dict[str, FileRecord] = {}
    all_chunks: list[Chunk] = []
    current_keys = {cf.key for cf in files}
    summary.removed = len([k for k in prev_files if k not in current_keys])

    def failed(cf: CorpusFile, rec: FileRecord, old: FileRecord | None, exc: Exception) -> None:
        records[cf.key], kept = _failure(cf, rec, old, _reason(exc, cf), prev_chunks, summary)
        all_chunks.extend(kept)
        progress.file_done(cf.key, f"failed: {rec.reason}")

    for cf in files:
        check_cancelled(cancel)
        old = prev_files.get(cf.key)
        rec = FileRecord(key=cf.key, sha256="", size=0, doc_id=doc_ids[cf.key])
        try:
            rec.sha256 = file_sha256(cf.path)
            rec.size = cf.path.stat().st_size
        except OSError as exc:  # removed or unreadable since the folder was scanned
            failed(cf, rec, old, exc)
            continue
        sha = rec.sha256
        fp = _fingerprint(sha, cf.entry)
        if old and cf.manifest_broken and old.sha256 == sha and old.status == "ok":
            fp = old.fingerprint  # a broken manifest keeps the metadata indexed before
        rec.fingerprint = fp
        if old and not rebuild and old.fingerprint == fp and old.status == "ok":
            if cf.manifest_broken or old.manifest == manifest_metadata(cf.entry):
                all_chunks.extend(prev_chunks.get(old.doc_id, []))
                records[cf.key] = _reuse(settings, cf, old, progress, summary)
                continue
            if old.auto:
                try:
                    chunks, relabelled = _relabel(cf, old, prev_chunks.get(old.doc_id, []))
                except Exception:  # relabelling only saves work: read the file again instead
                    pass
                else:
                    all_chunks.extend(chunks)
                    records[cf.key] = _reuse(settings, cf, relabelled, progress, summary, True)
                    continue
        if ocr is not None:
            ocr.on_page = functools.partial(progress.ocr_page, cf.key)
        progress.file_start(cf.key)
        try:
            chunks, raw = process_file(cf, rec.doc_id, ocr)
        except IngestCancelled:
            raise
        except Exception as exc:  # whatever it is, it is only this file's failure
            failed(cf, rec, old, exc)
            continue
        records[cf.key] = _success(settings, cf, rec, chunks, raw, summary)
        all_chunks.extend(chunks)
        if old:
            summary.changed += 1
        else:
            summary.added += 1
        progress.file_done(cf.key, "changed" if old else "new")
    summary.ocr_read = ocr.pages_read if ocr is not None else 0
    return records, all_chunks


def _reason(exc: Exception, cf: CorpusFile) -> str:
    """Why a file failed, as the index stores it: an IngestError's own message, else the
    unexpected error's type and text (a cleaning or chunking bug, a file gone)."""
    if isinstance(exc, IngestError):
        return exc.message()
    log.debug("ingesting %s failed", cf.key, exc_info=True)
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return IngestError(f"{type(exc).__name__}: {detail}"[:300]).message()


def _reuse(
    settings: Settings,
    cf: CorpusFile,
    old: FileRecord,
    progress: Progress,
    summary: IngestSummary,
    relabelled: bool = False,
) -> FileRecord:
    """The record of an unchanged file; only its vector plan is renewed when the sentence
    vector setting (or its manifest type) changed since (same chunks, other vectors)."""
    plan = _plan(settings, cf, old.chunks)
    if plan == old.vectors and not relabelled:
        summary.unchanged += 1
        progress.file_done(cf.key, "unchanged")
        return old
    summary.changed += 1
    summary.metadata_updated += relabelled
    progress.file_done(cf.key, "metadata" if relabelled and plan == old.vectors else "changed")
    return FileRecord(**{**old.to_dict(), "vectors": plan})


def _relabel(
    cf: CorpusFile, old: FileRecord, chunks: list[Chunk]
) -> tuple[list[Chunk], FileRecord]:
    """A file whose manifest metadata alone changed: its stored passages with the new title,
    publisher, place, date and type, and its record; the file is not read again and its
    passages' texts, hence their vectors, stay the same."""
    meta, inferred = resolve_metadata(cf.entry, old.auto)
    kind = doc_type(cf.entry, old.auto)
    new = [
        replace(
            c,
            title=meta["title"],
            publisher=meta["publisher"],
            date=meta["date"],
            place=meta["place"],
            doc_type=kind,
        )
        for c in chunks
    ]
    record = FileRecord(
        **{
            **old.to_dict(),
            **meta,
            "doc_type": kind,
            "inferred": inferred,
            "author": cf.entry.get("author") or old.auto.get("author", ""),
            "aliases": _aliases(cf.entry),
            "manifest": manifest_metadata(cf.entry),
        }
    )
    return new, record


def _aliases(entry: dict[str, str]) -> list[str]:
    return [a.strip() for a in entry.get("aliases", "").split("\n") if a.strip()]


def _failure(
    cf: CorpusFile,
    rec: FileRecord,
    old: FileRecord | None,
    reason: str,
    prev_chunks: dict[str, list[Chunk]],
    summary: IngestSummary,
) -> tuple[FileRecord, list[Chunk]]:
    """The record and chunks of a file that failed: its last good version is kept rather
    than lose the document; a file that never ingested is recorded as failed."""
    rec.status, rec.reason = "failed", reason
    summary.failed.append((cf.key, reason))
    if old and old.status == "ok" and prev_chunks.get(old.doc_id):
        kept = FileRecord(**{**old.to_dict(), "status": "kept_previous", "reason": reason})
        return kept, prev_chunks[old.doc_id]
    return rec, []


def _success(
    settings: Settings,
    cf: CorpusFile,
    rec: FileRecord,
    chunks: list[Chunk],
    raw: RawDocument,
    summary: IngestSummary,
) -> FileRecord:
    """Fill the record of a freshly processed file, passing its warnings and what was left
    out of the index on to the summary, so the user hears of them."""
    rec.title = chunks[0].title
    rec.publisher, rec.date = chunks[0].publisher, chunks[0].date
    rec.doc_type, rec.place = chunks[0].doc_type, chunks[0].place
    rec.auto = {**raw.auto, "author": raw.meta.get("author", "")}
    rec.inferred = resolve_metadata(cf.entry, raw.auto)[1]
    rec.manifest = manifest_metadata(cf.entry)
    rec.author = cf.entry.get("author") or raw.meta.get("author", "")
    rec.aliases = _aliases(cf.entry)
    if rec.inferred:
        summary.inferred.append((cf.key, {k: getattr(rec, k) for k in rec.inferred}))
    rec.pages = raw.page_count
    rec.chunks = len(chunks)
    rec.ocr_pages = len(raw.ocr_pages)
    rec.tables = raw.tables
    rec.vectors = _plan(settings, cf, len(chunks))
    rec.warnings = [*raw.warnings, *raw.truncated]
    summary.warnings.extend(f"{cf.key}: {w}" for w in raw.warnings)
    summary.truncated.extend((cf.key, note) for note in raw.truncated)
    if raw.textless_pages:
        summary.pages_without_text[cf.key] = raw.textless_pages
        rec.warnings.append(textless_note(raw.textless_pages, raw.page_count))
    return rec


def _tally(summary: IngestSummary, records: dict[str, FileRecord], chunks: list[Chunk]) -> None:
    """Totals over the files in the index (failed files count nowhere)."""
    good = [r for r in records.values() if r.status != "failed"]
    summary.files = len(good)
    summary.pages = sum(r.pages for r in good)
    summary.ocr_pages = sum(r.ocr_pages for r in good)
    summary.tables = sum(r.tables for r in good)
    summary.chunks = len(chunks)


def _empty_index_warning(settings: Settings, files: list[CorpusFile]) -> str:
    """Why the index is empty: no usable files, or none of them could be read."""
    folders = ", ".join(map(str, settings.corpus_dirs))
    if files:
        return f"the index is empty: none of the {len(files)} files in {folders} could be ingested"
    return f"the index is empty: {folders} holds no {supported_names()} files"


def _nothing_changed(summary: IngestSummary, prev_files: dict[str, FileRecord]) -> bool:
    """No file added, changed, removed, or newly failed or recovered: the current
    generation stays, so a repeated ingest is cheap."""
    if summary.added or summary.changed or summary.removed:
        return False
    failed_now = {k for k, _ in summary.failed}
    failed_before = {k for k, r in prev_files.items() if r.status == "failed"}
    return failed_now == failed_before
