"""The users' verdicts on cited passages (issue #28), as every layer sees them: the verdict
type, what it may say, and its state against an index. Stored by
:mod:`assistant.store.feedback`, matched to questions by :mod:`assistant.retrieval.feedback`,
recorded and applied by :mod:`assistant.answering.feedback`."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from assistant.core.types import Chunk

VERDICTS = ("right", "wrong")
REASONS = ("", "wrong_passage", "wrong_page", "should_refuse", "clause_wrong")
STATES = ("live", "stale", "orphaned")


#: Why the database cannot be used, as a user reads it: (Dutch, English). No file path: the
#: chat, the API and the Settings tab never show where the server keeps its files.
UNAVAILABLE = {
    "locked": (
        "de feedbackdatabase is in gebruik door een ander programma",
        "the feedback database is locked by another program",
    ),
    "damaged": (
        "de feedbackdatabase is beschadigd; het bestand is bewaard (zet het opzij om opnieuw te "
        "beginnen, of zet een back-up terug)",
        "the feedback database is damaged; the file was kept (move it aside to start a new "
        "one, or restore a backup)",
    ),
    "unwritable": (
        "de feedbackdatabase kan hier niet worden gemaakt of geschreven",
        "the feedback database cannot be created or written here",
    ),
    "newer": (
        "de feedbackdatabase is geschreven door een nieuwere versie",
        "the feedback database was written by a newer version",
    ),
    "unusable": (
        "de feedbackdatabase kan niet worden gebruikt",
        "the feedback database cannot be used",
    ),
}


def unavailable_reason(kind: str, lang: str) -> str:
    """The user's words for a kind of :class:`FeedbackUnavailable` ("" for none)."""
    texts = UNAVAILABLE.get(kind)
    return "" if texts is None else texts[0 if lang == "nl" else 1]


class FeedbackUnavailable(RuntimeError):
    """The database cannot be used. ``kind`` (a key of :data:`UNAVAILABLE`) is what users
    read; the message, with the file and SQLite's words, is for the operator's CLI."""

    kind = "unavailable"  # how the faces report it (core.errors.KINDS)

    code = "feedback_store"  # its message: ``assistant.core.errors.MESSAGES``

    def __init__(self, detail: str, kind: str = "unusable") -> None:
        self.kind = kind if kind in UNAVAILABLE else "unusable"
        super().__init__(f"{unavailable_reason(self.kind, 'en')} ({detail})")


def content_hash(text: str) -> str:
    """What a judgement was about: the passage text it judged, by its sha256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Judgement:
    """One user's verdict on one passage for one question."""

    id: int
    question: str  # as asked
    standalone: str  # the standalone form the assistant searched with
    chunk_id: str
    content_hash: str  # sha256 of the passage text when judged
    verdict: str  # "right" | "wrong"
    reason: str  # "" or one of REASONS
    created: str  # ISO 8601 UTC
    user: str  # the auth user name, "" without auth
    state: str = "live"  # "live" | "stale" (passage text changed) | "orphaned" (document gone)
    doc_id: str = ""  # the passage's document: a changed passage vs a removed document

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "question": self.question,
            "standalone": self.standalone,
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "content_hash": self.content_hash,
            "verdict": self.verdict,
            "reason": self.reason,
            "created": self.created,
            "user": self.user,
            "state": self.state,
        }

    def in_index(self, chunks: Mapping[str, Chunk], doc_ids: frozenset[str] | set[str]) -> str:
        """Its state against an index: live where its passage still has the judged text,
        stale where the passage changed (or its document no longer has it), orphaned where
        the document is gone."""
        chunk = chunks.get(self.chunk_id)
        if chunk is not None and content_hash(chunk.text) == self.content_hash:
            return "live"
        if chunk is None and self.doc_id not in doc_ids:
            return "orphaned"
        return "stale"

    def with_state(
        self, chunks: Mapping[str, Chunk], doc_ids: frozenset[str] | set[str]
    ) -> Judgement:
        return replace(self, state=self.in_index(chunks, doc_ids))
