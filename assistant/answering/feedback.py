"""Learning from the negotiators (issue #28): record a user's verdict on a passage, and apply
earlier verdicts to the next answer to a close question (which ones:
:mod:`assistant.retrieval.feedback`).

A passage marked right is put first, one marked wrong left out; the answerability checks run
on the result as before, so feedback never makes the assistant answer what its passages do
not say.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np

from assistant.answering.followup import standalone_question
from assistant.core.errors import CodedError, message
from assistant.core.feedback import (
    REASONS,
    VERDICTS,
    FeedbackUnavailable,
    Judgement,
    unavailable_reason,
)
from assistant.core.passages import embedding_text
from assistant.core.types import Chunk, SearchHit
from assistant.retrieval.feedback import FeedbackIndex
from assistant.retrieval.retriever import MAX_QUERY_CHARS, Retriever

#: Longest question and reason accepted (a reason is one of REASONS; the limit only decides
#: which message a long text gets).
MAX_QUESTION_CHARS = 10_000
MAX_REASON_CHARS = 100

DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
NOTES = {
    "nl": {
        "confirmed": "(eerder als juist gemarkeerd op {date})",
        "off": "Leren van feedback staat uit: {why}.",
    },
    "en": {
        "confirmed": "(marked right earlier on {date})",
        "off": "Learning from feedback is off: {why}.",
    },
}


class FeedbackError(CodedError):
    """Feedback that cannot be recorded; ``field`` names the request field at fault (the
    API answers 422 naming it)."""

    code = "feedback_invalid"

    def __init__(self, code: str, field: str, lang: str = "en", **params: object) -> None:
        self.field = field
        super().__init__(code, lang, "", field=field, **params)


class FeedbackOff(CodedError):
    """The feedback database cannot be used now (locked, damaged, unwritable); ``kind`` says
    which, in the reader's language and without the file's place."""

    kind = "unavailable"  # how the faces report it (core.errors.KINDS)
    code = "feedback_off"

    def __init__(self, kind: str, lang: str = "en") -> None:
        self.kind = kind
        super().__init__(lang=lang)

    def text(self, lang: str) -> str:
        return message(self.code, unavailable_reason(self.kind, lang), lang)


def long_date(iso: str, lang: str) -> str:
    """'7 december 2026' / '7 December 2026' for an ISO time."""
    try:
        day = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:10]
    months = DUTCH_MONTHS if lang == "nl" else ENGLISH_MONTHS
    return f"{day.day} {months[day.month - 1]} {day.year}"


def clean_question(raw: str) -> str:
    """The question on one line without control characters, as the assistant reads it."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())
    return text[:MAX_QUESTION_CHARS]


@dataclass
class Learned:
    """The verdicts that apply to one question: per passage the latest live one."""

    confirmed: dict[str, Judgement] = field(default_factory=dict)
    rejected: dict[str, Judgement] = field(default_factory=dict)
    #: Passage vectors of the confirmed passages (for their similarity to the question).
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    #: Why feedback could not be consulted: a kind of ``FeedbackUnavailable`` ("" when it
    #: could).
    off: str = ""
    #: The verdicts that changed the evidence, as ``Answer.learned`` lists them.
    applied: list[Judgement] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.confirmed or self.rejected)


class Feedback:
    """Recording and applying the users' judgements; the store below, the index beside."""

    def __init__(self, index: FeedbackIndex, retriever: Retriever, enabled: bool = True) -> None:
        #: The verdicts and their matching (retrieval), and their rows on disk (store).
        self.index, self.store = index, index.store
        self.retriever = retriever
        #: The setting: whether answers learn from the judgements (they are stored either way).
        self.enabled = enabled
        #: Why the database cannot be used now: a kind of FeedbackUnavailable ("": it can).
        self._off = ""
        self._opened = False
        self._lock = threading.Lock()
        self._ensure_open()

    @property
    def available(self) -> bool:
        """False when the database is locked, damaged or unwritable (answers still come)."""
        return self._ensure_open() and not self._off

    @property
    def notice(self) -> str:
        """Why feedback is not available, in English ("" when it is); :meth:`reason` in the
        reader's language."""
        return self.reason("en")

    @property
    def off_kind(self) -> str:
        """Why feedback is not available, as a kind of FeedbackUnavailable ("" when it is)."""
        self._ensure_open()
        return self._off

    def reason(self, lang: str) -> str:
        return unavailable_reason(self.off_kind, lang)

    def _ensure_open(self) -> bool:
        """Open (create) the database once; a failure is retried at the next use."""
        with self._lock:
            if self._opened:
                return True
            try:
                self.store.open()
            except FeedbackUnavailable as exc:
                self._off = exc.kind
                return False
            self._opened, self._off = True, ""
            return True

    def _call(self) -> None:
        if not self._ensure_open():
            raise FeedbackOff(self._off)

    def _failed(self, exc: FeedbackUnavailable) -> FeedbackOff:
        self._off = exc.kind
        return FeedbackOff(exc.kind)

    def _succeeded(self) -> None:
        self._off = ""

    def record(
        self,
        question: str,
        chunk_id: str,
        verdict: str,
        reason: str = "",
        *,
        history: Sequence[str] = (),
        user: str = "",
    ) -> Judgement:
        """Store ``verdict`` on passage ``chunk_id`` for ``question`` (asked after
        ``history``); FeedbackError names a bad field, FeedbackOff an unusable database."""
        chunk = self._validate(question, chunk_id, verdict, reason)
        clean = clean_question(question)
        standalone = standalone_question(clean[:MAX_QUERY_CHARS], list(history))
        model_id, qvec, pvec = self._vectors(standalone, chunk)
        self._call()
        try:
            found = self.store.add(
                question=clean,
                standalone=standalone,
                chunk_id=chunk.chunk_id,
                doc_id=chunk.doc_id,
                passage_text=chunk.text,
                verdict=verdict,
                reason=reason,
                user=user[:200],
                model_id=model_id,
                question_vec=qvec,
                passage_vec=pvec,
            )
        except FeedbackUnavailable as exc:
            raise self._failed(exc) from None
        self._succeeded()
        return found

    def _validate(self, question: str, chunk_id: str, verdict: str, reason: str) -> Chunk:
        if not isinstance(question, str) or not any(ch.isalnum() for ch in question):
            raise FeedbackError("feedback_question", "question")
        if len(question) > MAX_QUESTION_CHARS:
            raise FeedbackError("feedback_too_long", "question", n=MAX_QUESTION_CHARS)
        if verdict not in VERDICTS:
            raise FeedbackError("feedback_verdict", "verdict")
        if not isinstance(reason, str) or len(reason) > MAX_REASON_CHARS:
            raise FeedbackError("feedback_too_long", "reason", n=MAX_REASON_CHARS)
        if reason not in REASONS:
            raise FeedbackError("feedback_reason", "reason", reasons=", ".join(REASONS[1:]))
        chunk = self.retriever.snapshot().by_id.get(chunk_id) if chunk_id else None
        if chunk is None:
            raise FeedbackError("feedback_chunk", "chunk_id", chunk=repr(str(chunk_id)[:80]))
        return chunk

    def _vectors(
        self, standalone: str, chunk: Chunk
    ) -> tuple[str, list[float] | None, list[float] | None]:
        """The question's and the passage's vectors (the retriever's embedder), for matching
        a later question and for the passage's similarity to it. Without them the verdict
        still applies to the same question."""
        embedder = self.retriever.embedder
        try:
            qvec = embedder.embed_queries([standalone])[0]
            pvec = embedder.embed_documents([embedder.fit(embedding_text(chunk))])[0]
        except Exception:  # an embedder failure must not lose the user's verdict
            return "", None, None
        return embedder.model_id, qvec, pvec

    def list(self) -> list[Judgement]:
        """Every judgement, its state computed against the current index."""
        self._call()
        try:
            rows = self.store.list()
        except FeedbackUnavailable as exc:
            raise self._failed(exc) from None
        self._succeeded()
        try:
            snap = self.retriever.snapshot()
        except Exception:  # no index: every passage is gone
            return [replace(j, state="orphaned") for j in rows]
        docs = {record.doc_id for record in snap.documents().values()}
        return [j.with_state(snap.by_id, docs) for j in rows]

    def delete(self, judgement_id: int) -> bool:
        """Remove a judgement completely; False when there is none with that id."""
        self._call()
        try:
            gone = self.store.delete(int(judgement_id))
        except FeedbackUnavailable as exc:
            raise self._failed(exc) from None
        self._succeeded()
        return gone

    def learned(self, standalone: str, vector: Callable[[], Sequence[float]]) -> Learned:
        """The live verdicts on questions close to ``standalone`` (latest per passage);
        ``vector`` embeds the question, called only when there are verdicts to match."""
        if not self._ensure_open():
            return Learned(off=self._off)
        snap = self.retriever.snapshot()
        docs = {record.doc_id for record in snap.documents().values()}
        try:
            found = self.index.matching(
                standalone, vector, self.retriever.embedder.model_id, snap.by_id, docs
            )
        except FeedbackUnavailable as exc:
            self._off = exc.kind
            return Learned(off=self._off)
        self._succeeded()
        out = Learned()
        for j in found.judgements:  # oldest first: a later verdict overrides
            out.confirmed.pop(j.chunk_id, None)
            out.rejected.pop(j.chunk_id, None)
            (out.confirmed if j.verdict == "right" else out.rejected)[j.chunk_id] = j
            if j.id in found.passage_vectors:
                out.vectors[j.chunk_id] = found.passage_vectors[j.id]
        return out


def apply(
    hits: Sequence[SearchHit],
    learned: Learned,
    chunks: dict[str, Chunk],
    question_vec: Sequence[float] | None,
    passes: Callable[[SearchHit], bool],
) -> list[SearchHit]:
    """``hits`` with the rejected passages left out and the confirmed ones first (latest
    verdict first); a confirmed passage the search did not find is added with its own
    similarity to the question. Only a confirmed passage that ``passes`` (the answerability
    check, on it alone) is moved or added: a verdict never makes a passage that does not
    answer the question the answer's first source."""
    kept = [h for h in hits if h.chunk.chunk_id not in learned.rejected]
    learned.applied = [learned.rejected[h.chunk.chunk_id] for h in hits if h not in kept]
    top = max((h.score for h in hits), default=1.0)
    first: list[SearchHit] = []
    for cid, j in sorted(learned.confirmed.items(), key=lambda kv: -kv[1].id):
        found = next((h for h in kept if h.chunk.chunk_id == cid), None)
        if found is None and cid in chunks:
            similarity = _similarity(question_vec, learned.vectors.get(cid))
            found = SearchHit(chunks[cid], score=top, rank=0, dense_score=similarity)
        if found is None or not passes(found):
            continue
        if found in kept:
            kept.remove(found)
        first.append(replace(found, score=top))
        learned.applied.append(j)
    return [replace(h, rank=i + 1) for i, h in enumerate(first + kept)]


def _similarity(question_vec: Sequence[float] | None, passage: np.ndarray | None) -> float | None:
    if question_vec is None or passage is None or len(passage) != len(question_vec):
        return None
    q = np.asarray(question_vec, dtype=np.float32)
    return float(q @ passage / (float(np.linalg.norm(q)) or 1.0))


def confirmed_note(text: str, cited: dict[int, str], lang: str) -> str:
    """``text`` with the note after the first mention of each citation [n] whose passage
    was marked right (``cited``: n -> the verdict's ISO time)."""
    note = NOTES["nl" if lang == "nl" else "en"]["confirmed"]
    for n, when in sorted(cited.items()):
        mark = f"[{n}]"
        at = text.find(mark)
        added = " " + note.format(date=long_date(when, lang))
        text = text[: at + len(mark)] + added + text[at + len(mark) :] if at >= 0 else text + added
    return text


def off_notice(kind: str, lang: str) -> str:
    """The answer's note that learning is off, and why (a kind of FeedbackUnavailable)."""
    why = unavailable_reason(kind, lang)
    return NOTES["nl" if lang == "nl" else "en"]["off"].format(why=why)
