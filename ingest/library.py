"""The document library behind the Documents tab: upload, delete and re-index, in-process.

Uploads are checked before they touch the corpus folder: the name is reduced to a safe base
name, the type is checked by extension *and* by content, the size against the limit, and an
existing different file is never overwritten. Every change runs the normal incremental ingest,
which switches the index to a new generation that the assistant picks up on its next question.
When another ingest holds the lock (the command line, another server), the change is queued:
a background thread runs the ingest as soon as the lock is free, so no upload is left unindexed.
A running ingest can be cancelled between files or embedding batches (the index stays as it was).

This module is the interface's one door into ``ingest``: what the UI needs of the package
(the names below that are defined elsewhere) it imports from here.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import error_text
from assistant.core.i18n import count, t
from assistant.core.settings import Settings
from assistant.providers.embeddings import EmbeddingError
from assistant.providers.stores import StoreError
from assistant.store.index import (
    FileRecord,
    IndexError_,
    IngestLocked,
    ingest_lock,
    read_current,
)
from ingest.errors import IngestCancelled, IngestError, reason_text
from ingest.formats import Refusal, loader_for, upload_names, upload_suffixes, upload_types
from ingest.manifest import IGNORED_NAMES, ManifestError, discover, file_sha256, slug
from ingest.manifest_edit import DOC_TYPES, Value, set_metadata
from ingest.pipeline import IngestSummary, Progress, ingest
from ingest.tables import parse_pipe_table

__all__ = [
    "DOC_TYPES",
    "IngestProgress",
    "Library",
    "Queued",
    "Upload",
    "Value",
    "check_upload",
    "parse_pipe_table",
    "reason_text",
    "safe_filename",
    "slug",
    "store_upload",
    "upload_label",
    "upload_suffixes",
]

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")

Report = Callable[[float, str], None]

log = logging.getLogger(__name__)


class Queued:
    """The ingest could not run now (another holds the lock): it runs when that one ends."""


def safe_filename(name: str) -> str:
    """A base name that is safe to create in the corpus folder.

    Directories (``/`` and ``\\``) are dropped, accents folded to ASCII, anything else that is
    not a letter, digit, ``-`` or ``_`` becomes ``-``; no leading dot (hidden files are not
    ingested) and never a name the ingest ignores (README.md).
    """
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = _UNSAFE.sub("-", stem).strip("-_")[:80] or "document"
    ext = re.sub(r"[^A-Za-z0-9]", "", ext).lower()[:10]
    safe = f"{stem}.{ext}" if ext else stem
    if safe in IGNORED_NAMES or safe.lower() in {n.lower() for n in IGNORED_NAMES}:
        safe = f"{stem}-document.{ext}" if ext else f"{stem}-document"
    return safe


def check_upload(path: Path, name: str, max_bytes: int) -> Refusal | None:
    """Why the file ``name`` (already made safe) may not be added, or None when it may.

    The answer is an interface text key and its values: the extension must be one a loader
    accepts for upload (:func:`ingest.formats.upload_suffixes`), the size within the limit, and
    the content must fit the loader's signature (a PDF starts with ``%PDF``, a Word or
    OpenDocument file is a zip or an encrypted Office file, a text or HTML file is not binary).
    """
    suffix = Path(name).suffix.lower()
    loader = loader_for(suffix)
    if loader is None or suffix not in loader.uploads:
        return "up_bad_type", {}
    size = path.stat().st_size
    if size == 0:
        return "up_empty", {}
    if size > max_bytes:
        return "up_too_big", {"size": f"{size / 1e6:.1f}", "mb": round(max_bytes / 1e6)}
    with open(path, "rb") as fh:
        head = fh.read(8192)
    return loader.check_content(head)


def upload_label(lang: str) -> str:
    """The upload button's label, naming the formats a user may add."""
    return t(lang, "upload", types=upload_names(lang))


def store_upload(src: Path, name: str, folder: Path) -> tuple[Path, str]:
    """Copy ``src`` into ``folder`` as ``name``: returns the path and new | unchanged | renamed.

    The bytes go to a hidden temporary file first (the ingest skips hidden files) and are then
    hard-linked to a free name, so a concurrent ingest never sees half a file and an existing
    file is never replaced; the same content under the same name is not stored twice.
    """
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / name
    if dest.resolve().parent != folder.resolve():
        raise ValueError(f"unsafe file name {name!r}")
    sha = file_sha256(src)
    fd, tmp_name = tempfile.mkstemp(prefix=".upload-", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            while block := inp.read(1 << 20):
                out.write(block)
        stem, suffix = dest.stem, dest.suffix
        n = 1
        while True:
            candidate = dest if n == 1 else folder / f"{stem}-{n}{suffix}"
            try:
                os.link(tmp, candidate)
                return candidate, "new" if n == 1 else "renamed"
            except FileExistsError:
                if file_sha256(candidate) == sha:
                    return candidate, "unchanged"
                n += 1
    finally:
        tmp.unlink(missing_ok=True)


class IngestProgress(Progress):
    """Ingest callbacks as one 0–1 fraction: files take the first half, embedding the second."""

    def __init__(self, report: Report, lang: str) -> None:
        self.report = report
        self.lang = lang
        self.total_files = 0
        self.done_files = 0
        self.to_embed = 0
        self.done_embed = 0

    def files(self, total: int) -> None:
        self.total_files = total
        self.report(0.0, t(self.lang, "progress_files"))

    def file_start(self, key: str) -> None:
        share = self.done_files / self.total_files if self.total_files else 0.0
        name = key.rsplit("/", 1)[-1]
        n, total = self.done_files + 1, self.total_files
        self.report(0.5 * share, t(self.lang, "progress_file", n=n, total=total, name=name))

    def file_done(self, key: str, status: str) -> None:
        self.done_files += 1
        share = self.done_files / self.total_files if self.total_files else 1.0
        self.report(0.5 * share, f"{t(self.lang, 'progress_files')}: {key}")

    def ocr_page(self, key: str, page: int, done: int, total: int) -> None:
        share = self.done_files / self.total_files if self.total_files else 0.0
        name = key.rsplit("/", 1)[-1]
        self.report(0.5 * share, t(self.lang, "progress_ocr", name=name, done=done, total=total))

    def embedding(self, total: int) -> None:
        self.to_embed = total
        self.report(0.5, t(self.lang, "progress_embed"))

    def embedded(self, n: int) -> None:
        self.done_embed += n
        share = self.done_embed / self.to_embed if self.to_embed else 1.0
        self.report(0.5 + 0.5 * min(share, 1.0), t(self.lang, "progress_embed"))


@dataclass(frozen=True)
class Upload:
    """A received file: where the server stored it and the name the user's browser gave."""

    path: Path
    name: str


class Library:
    """Document operations on the first corpus folder, each followed by an incremental ingest."""

    #: How often a queued ingest tries the lock again.
    poll_seconds = 1.0

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cancel_event = threading.Event()
        self._state = threading.Lock()
        self._running = 0
        self._queued = False
        self._drainer: threading.Thread | None = None

    @property
    def folder(self) -> Path:
        return self.settings.corpus_dirs[0]

    @property
    def max_bytes(self) -> int:
        return self.settings.max_upload_mb * 1_000_000

    def corpus_files(self) -> dict[str, Path]:
        """File key (as in the index state) → path, for every file the ingest would read."""
        folders = tuple(d for d in self.settings.corpus_dirs if d.is_dir())
        return {cf.key: cf.path for cf in discover(folders)[0]}

    @property
    def running(self) -> bool:
        """Whether this library is ingesting now (an upload, delete, re-index or queued run)."""
        return self._running > 0

    def cancel(self, lang: str) -> str:
        """Ask the running ingest to stop after its current file or embedding batch."""
        if not self.running:
            return t(lang, "not_running")
        self.cancel_event.set()
        return t(lang, "cancelling")

    def _run(self, progress: Progress | None = None) -> IngestSummary:
        with self._state:
            self._running += 1
            if self._running == 1:
                self.cancel_event.clear()  # a stop asked for before this run is not for it
        try:
            return ingest(self.settings, progress=progress, cancel=self.cancel_event)
        finally:
            with self._state:
                self._running -= 1

    def with_unindexed(self, indexed: Mapping[str, FileRecord]) -> dict[str, FileRecord]:
        """The index's files plus the corpus folder's files not in it yet (queued, or left by
        an ingest that stopped) as status "pending", so every file can be seen and deleted."""
        files = dict(indexed)
        for key in self.corpus_files().keys() - files.keys():
            files[key] = FileRecord(key=key, sha256="", size=0, doc_id="", status="pending")
        return files

    def _ingest(self, lang: str, report: Report) -> IngestSummary | Queued | str:
        """Run the ingest: its summary, Queued when another ingest holds the lock (this one
        then runs as soon as it ends), or a message when it could not run."""
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            return self._run(IngestProgress(report, lang))
        except IngestLocked:
            self.queue()
            return Queued()
        except IngestCancelled:
            return t(lang, "cancelled")
        except (IndexError_, IngestError, EmbeddingError, StoreError) as exc:
            return t(lang, "ingest_error", error=error_text(exc, lang))

    def queue(self) -> None:
        """Ingest as soon as the lock is free, in a background thread (one at a time)."""
        with self._state:
            self._queued = True
            if self._drainer is None or not self._drainer.is_alive():
                self._drainer = threading.Thread(
                    target=self._drain, name="ingest-queue", daemon=True
                )
                self._drainer.start()

    def wait_queue(self, timeout: float | None = None) -> bool:
        """Wait until no queued ingest is left; False when ``timeout`` passed first."""
        drainer = self._drainer
        if drainer is not None:
            drainer.join(timeout)
            return not drainer.is_alive()
        return True

    def _drain(self) -> None:
        while True:
            with self._state:
                if not self._queued:
                    self._drainer = None
                    return
                self._queued = False
            while True:
                try:
                    self._run()
                    break
                except IngestLocked:
                    time.sleep(self.poll_seconds)
                except Exception:  # reported in the log; the next change queues again
                    log.exception("queued ingest failed")
                    break

    def _indexed(self, path: Path) -> bool:
        """Whether ``path``, as it is now, is in the current index generation."""
        gen = read_current(self.settings.index_dir)
        keys = {p.resolve(): key for key, p in self.corpus_files().items()}
        rec = gen.files.get(keys.get(path.resolve(), "")) if gen else None
        return rec is not None and rec.sha256 == file_sha256(path)

    def add(self, uploads: Sequence[Upload], lang: str, report: Report) -> list[str]:
        """Check, store and ingest the uploads; one sentence per file on what happened."""
        if not uploads:
            return [t(lang, "up_none")]
        lines: list[str] = []
        stored: list[Path] = []
        for up in uploads:
            name = safe_filename(up.name)
            problem = check_upload(up.path, name, self.max_bytes)
            if problem is not None:
                key, values = problem
                lines.append(t(lang, key, name=name, types=upload_types(lang), **values))
                continue
            path, outcome = store_upload(up.path, name, self.folder)
            if outcome == "unchanged" and self._indexed(path):
                lines.append(t(lang, "up_unchanged", name=path.name))
                continue
            if outcome == "renamed":
                lines.append(t(lang, "up_renamed", name=name, saved=path.name))
            stored.append(path)
        if not stored:
            return lines
        result = self._ingest(lang, report)
        if isinstance(result, Queued):
            return [*lines, *(t(lang, "up_queued", name=path.name) for path in stored)]
        if isinstance(result, str):
            return [*lines, result]
        gen = read_current(self.settings.index_dir)
        files = gen.files if gen else {}
        keys = {path.resolve(): key for key, path in self.corpus_files().items()}
        for path in stored:
            rec = files.get(keys.get(path.resolve(), ""))
            if rec is None:
                lines.append(t(lang, "up_failed", name=path.name, reason="?"))
            elif rec.status == "ok":
                size = count(lang, rec.chunks, "passage")
                if rec.tables:
                    size = f"{count(lang, rec.tables, 'table')}, {size}"
                if rec.ocr_pages:
                    size = f"{count(lang, rec.ocr_pages, 'ocr_page')}, {size}"
                if rec.pages:
                    size = f"{count(lang, rec.pages, 'page')}, {size}"
                lines.append(t(lang, "up_added", name=path.name, size=size))
            else:
                reason = reason_text(rec.reason, lang)
                lines.append(t(lang, "up_failed", name=path.name, reason=reason))
        return lines

    def delete(self, key: str | None, lang: str, report: Report) -> list[str]:
        """Remove one file from the corpus folder and re-ingest, so its passages go."""
        if not key:
            return [t(lang, "delete_none")]
        path = self.corpus_files().get(key)
        if path is None:
            return [t(lang, "delete_missing", name=key)]
        path.unlink(missing_ok=True)
        result = self._ingest(lang, report)
        if isinstance(result, Queued):
            return [t(lang, "locked")]
        if isinstance(result, str):
            return [result]
        return [t(lang, "deleted", name=key, docs=result.files)]

    def corpus_folder_of(self, path: Path) -> Path:
        """The corpus folder that holds ``path``."""
        real = path.resolve()
        return next(d for d in self.settings.corpus_dirs if real.is_relative_to(d.resolve()))

    def edit_metadata(
        self, key: str | None, changes: dict[str, Value], lang: str, report: Report
    ) -> tuple[bool, list[str]]:
        """Write a file's title, publisher, place, date, type or aliases to its manifest and
        update the index (the passages are relabelled, nothing is embedded again).

        Refused while an ingest runs (the lock is held while the manifest is written) and
        for a manifest that cannot be read (nothing is changed then). True when the change
        is saved and in the index."""
        if not key:
            return False, [t(lang, "meta_none")]
        path = self.corpus_files().get(key)
        if path is None:
            return False, [t(lang, "delete_missing", name=key)]
        try:
            with ingest_lock(self.settings.index_dir):
                manifest = set_metadata(path, self.corpus_folder_of(path), changes)
        except IngestLocked:
            return False, [t(lang, "meta_locked")]
        except ManifestError as exc:
            return False, [t(lang, "meta_invalid", error=str(exc))]
        lines = [t(lang, "meta_saved", name=key, manifest=manifest.name)]
        result = self._ingest(lang, report)
        if isinstance(result, Queued):  # saved; the queued ingest puts it in the index
            return False, [*lines, t(lang, "locked")]
        if isinstance(result, str):
            return False, [*lines, result]
        return True, [*lines, t(lang, "meta_applied", embedded=result.embedded)]

    def reindex(self, lang: str, report: Report) -> list[str]:
        """Bring the index up to date with files added to or removed from the folder by hand."""
        result = self._ingest(lang, report)
        if isinstance(result, Queued):
            return [t(lang, "locked")]
        if isinstance(result, str):
            return [result]
        lines = [
            t(lang, "up_to_date")
            if result.up_to_date
            else t(
                lang,
                "reindexed",
                files=result.files,
                chunks=result.chunks,
                seconds=f"{result.seconds:.1f}",
            )
        ]
        lines += [f"{key}: {reason_text(reason, lang)}" for key, reason in result.failed]
        return lines
