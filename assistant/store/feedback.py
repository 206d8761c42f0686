"""The users' judgements of cited passages, one SQLite row each (issue #28).

Every operation opens its own connection: threads and processes (the chat server, the CLI)
share the file through SQLite's locking. WAL lets readers go on while one writer writes; a
writer waits ``WRITE_WAIT_S`` for another, a reader on the answer path only ``READ_WAIT_S``
(an answer never waits long for feedback). ``secure_delete`` overwrites a deleted row's bytes
and the WAL is truncated after a delete, so a deleted judgement is gone from the files.

A damaged file is never written over or recreated: :class:`FeedbackUnavailable` says why,
and the caller answers without feedback.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.core.feedback import FeedbackUnavailable, Judgement, content_hash, now_iso

SCHEMA_VERSION = 1
#: Seconds a write waits for another writer; a read on the answer path waits less.
WRITE_WAIT_S = 5.0
READ_WAIT_S = 0.25

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS judgements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    standalone TEXT NOT NULL,
    chunk_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('right', 'wrong')),
    reason TEXT NOT NULL,
    created TEXT NOT NULL,
    user TEXT NOT NULL,
    model_id TEXT NOT NULL,
    question_vec BLOB,
    passage_vec BLOB
);
"""
_COLUMNS = (
    "id, question, standalone, chunk_id, doc_id, content_hash, verdict, reason, created, user"
)


@dataclass(frozen=True)
class Vectors:
    """The judgements with their question and passage vectors (one model's), for matching a
    new question against them without a query per judgement."""

    revision: int
    judgements: list[Judgement]
    #: Row i: the question vector of judgement i (unit length), zeros where none is stored.
    questions: np.ndarray
    #: Per judgement id: the passage vector, when one was stored.
    passages: dict[int, np.ndarray]


def _vec(blob: bytes | None) -> np.ndarray | None:
    return None if not blob else np.frombuffer(blob, dtype=np.float32)


def _blob(vector: list[float] | np.ndarray | None) -> bytes | None:
    if vector is None:
        return None
    arr = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(arr))
    return (arr / norm if norm else arr).tobytes()


class FeedbackStore:
    """Rows on disk: add, list, delete, and the vectors for matching (cached per revision)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: dict[str, Vectors] = {}
        self._lock = threading.Lock()

    @contextmanager
    def _connect(
        self, wait_s: float = WRITE_WAIT_S, create: bool = False
    ) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode (transactions are explicit). Without ``create``
        a missing file is not made: nothing was recorded yet."""
        if not create and not self.path.exists():
            raise FileNotFoundError(self.path)
        try:
            conn = sqlite3.connect(self.path, timeout=wait_s, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from exc
        with closing(conn):
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
                conn.execute("PRAGMA secure_delete = ON")
                yield conn
            except sqlite3.Error as exc:
                raise self._unavailable(exc) from exc

    def _unavailable(self, exc: sqlite3.Error) -> FeedbackUnavailable:
        text = str(exc)
        if "locked" in text or "busy" in text:
            kind = "locked"
        elif "not a database" in text or "malformed" in text or "corrupt" in text:
            kind = "damaged"
        elif "readonly" in text or "unable to open" in text or "read-only" in text:
            kind = "unwritable"
        else:
            kind = "unusable"
        return FeedbackUnavailable(f"{self.path}: {text}", kind)

    def open(self) -> None:
        """Create the file and its tables when missing, check a present one (its schema
        version, a quick integrity check); FeedbackUnavailable when it cannot be used."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FeedbackUnavailable(f"{self.path}: {exc}", "unwritable") from exc
        with self._connect(create=True) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            check = conn.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise FeedbackUnavailable(f"{self.path}: quick_check says {check}", "damaged")
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                found = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if found is None:
                    conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                    conn.execute("INSERT INTO meta VALUES ('revision', '0')")
                elif int(found[0]) > SCHEMA_VERSION:
                    raise FeedbackUnavailable(
                        f"{self.path}: schema {found[0]}, this version reads {SCHEMA_VERSION}",
                        "newer",
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def add(
        self,
        *,
        question: str,
        standalone: str,
        chunk_id: str,
        doc_id: str,
        passage_text: str,
        verdict: str,
        reason: str,
        user: str,
        model_id: str = "",
        question_vec: list[float] | np.ndarray | None = None,
        passage_vec: list[float] | np.ndarray | None = None,
    ) -> Judgement:
        """Store one judgement atomically (one transaction: the row and the revision)."""
        created = now_iso()
        digest = content_hash(passage_text)
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cur = conn.execute(
                    "INSERT INTO judgements (question, standalone, chunk_id, doc_id, "
                    "content_hash, verdict, reason, created, user, model_id, question_vec, "
                    "passage_vec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        question,
                        standalone,
                        chunk_id,
                        doc_id,
                        digest,
                        verdict,
                        reason,
                        created,
                        user,
                        model_id,
                        _blob(question_vec),
                        _blob(passage_vec),
                    ),
                )
                _bump(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        assert cur.lastrowid is not None
        return Judgement(
            cur.lastrowid, question, standalone, chunk_id, digest, verdict, reason, created,
            user, doc_id=doc_id,
        )  # fmt: skip

    def list(self, wait_s: float = WRITE_WAIT_S) -> list[Judgement]:
        """Every judgement, oldest first (state "live": the caller knows the index)."""
        try:
            with self._connect(wait_s) as conn:
                rows = conn.execute(f"SELECT {_COLUMNS} FROM judgements ORDER BY id").fetchall()
        except FileNotFoundError:
            return []
        return [_judgement(row) for row in rows]

    def get(self, judgement_id: int) -> Judgement | None:
        try:
            with self._connect() as conn:
                row = conn.execute(
                    f"SELECT {_COLUMNS} FROM judgements WHERE id = ?", (judgement_id,)
                ).fetchone()
        except FileNotFoundError:
            return None
        return _judgement(row) if row else None

    def delete(self, judgement_id: int) -> bool:
        """Remove a judgement from the database and its files: the row's bytes are
        overwritten (secure_delete) and the WAL, which may hold them, is checkpointed and
        truncated."""
        try:
            with self._connect() as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    gone = conn.execute("DELETE FROM judgements WHERE id = ?", (judgement_id,))
                    if gone.rowcount:
                        _bump(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                if gone.rowcount:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except FileNotFoundError:
            return False
        return bool(gone.rowcount)

    def revision(self, wait_s: float = READ_WAIT_S) -> int:
        """A number that changes with every write (the cache key of :meth:`vectors`)."""
        try:
            with self._connect(wait_s) as conn:
                row = conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        except FileNotFoundError:
            return 0
        return int(row[0]) if row else 0

    def vectors(self, model_id: str, wait_s: float = READ_WAIT_S) -> Vectors:
        """The judgements and their vectors made by ``model_id``; read once per revision."""
        revision = self.revision(wait_s)
        cached = self._cache.get(model_id)
        if cached is not None and cached.revision == revision:
            return cached
        try:
            with self._connect(wait_s) as conn:
                rows = conn.execute(
                    f"SELECT {_COLUMNS}, model_id, question_vec, passage_vec FROM judgements "
                    "ORDER BY id"
                ).fetchall()
                revision = self.revision(wait_s)
        except FileNotFoundError:
            rows = []
        judgements = [_judgement(row[:10]) for row in rows]
        dims = {len(v) for row in rows if row[10] == model_id and (v := _vec(row[11])) is not None}
        dim = dims.pop() if len(dims) == 1 else 0
        matrix = np.zeros((len(rows), dim), dtype=np.float32)
        passages: dict[int, np.ndarray] = {}
        for i, row in enumerate(rows):
            if row[10] != model_id:
                continue
            q, p = _vec(row[11]), _vec(row[12])
            if q is not None and dim and len(q) == dim:
                matrix[i] = q
            if p is not None:
                passages[int(row[0])] = p
        found = Vectors(revision, judgements, matrix, passages)
        with self._lock:
            self._cache[model_id] = found
        return found


def _bump(conn: sqlite3.Connection) -> None:
    conn.execute(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'revision'"
    )


def _judgement(row: tuple[object, ...]) -> Judgement:
    (jid, question, standalone, chunk_id, doc_id, digest, verdict, reason, created, user) = row
    return Judgement(
        id=int(str(jid)),
        question=str(question),
        standalone=str(standalone),
        chunk_id=str(chunk_id),
        content_hash=str(digest),
        verdict=str(verdict),
        reason=str(reason),
        created=str(created),
        user=str(user),
        doc_id=str(doc_id),
    )
