"""One audit line per request instead of its content: when, which route, the status, how
long, how long the question was, how many citations, refused or not, and who asked as a
salted hash (never the address itself).

Negotiators' questions are confidential, so the line carries sizes and counts only; the
question itself is added only when the operator sets ``JEUGDAKKOORD_LOG_CONTENT=1``. The
salt is random per server start (ids of one client match within a run, not across runs)
unless ``JEUGDAKKOORD_AUDIT_SALT`` fixes it.

:class:`assistant.serve.audit.AuditMiddleware` writes the line of each HTTP request; a
handler adds what it knows of the question and the answer with :func:`note` (the record
travels in a context variable, so no handler needs the request). The chat page's answers
run in Gradio's queue, outside any one HTTP request: :meth:`AuditLog.ask` writes their line
from the answer handler.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import logging
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from assistant.core.settings import Settings
from assistant.core.types import Answer

LOGGER = "jeugdakkoord.audit"


@dataclass
class Record:
    """What one request asked and got, as far as its handler told (:func:`note`)."""

    question_chars: int | None = None
    citations: int | None = None
    refused: bool | None = None
    question: str = ""  # kept only with JEUGDAKKOORD_LOG_CONTENT=1
    #: Judgements the request recorded, and earlier ones its answer applied (issue #28):
    #: counts only, never a judged question or passage, whatever LOG_CONTENT says.
    feedback: int | None = None
    learned: int | None = None


_current: contextvars.ContextVar[Record | None] = contextvars.ContextVar(
    "audit_record", default=None
)


@contextmanager
def bind(record: Record) -> Iterator[Record]:
    """Make ``record`` the current request's audit record for the block."""
    token = _current.set(record)
    try:
        yield record
    finally:
        _current.reset(token)


def current() -> Record | None:
    """The audit record of the request being handled (None outside an audited request);
    a handler that answers in another thread takes it along and calls :func:`note_on`."""
    return _current.get()


def note(question: str | None = None, answer: Answer | None = None) -> None:
    """Tell the current request's audit record about its question and answer."""
    record = current()
    if record is not None:
        note_on(record, question, answer)


def note_on(record: Record, question: str | None = None, answer: Answer | None = None) -> None:
    if question is not None:
        record.question_chars = len(question)
        record.question = question
    if answer is not None:
        record.citations = len(answer.citations)
        record.refused = answer.refused
        record.learned = len(answer.learned) or None


def count_feedback(n: int = 1) -> None:
    """Tell the current request's audit record it recorded ``n`` judgements."""
    record = current()
    if record is not None:
        record.feedback = (record.feedback or 0) + n


class AuditLog:
    """Formats audit lines (``text`` or ``json``) and writes them to the audit logger."""

    def __init__(
        self,
        fmt: str = "text",
        salt: str = "",
        with_content: bool = False,
        logger: logging.Logger | None = None,
    ) -> None:
        self.fmt = fmt
        self._key = salt.encode() if salt else secrets.token_bytes(32)
        self.with_content = with_content
        self.logger = logger or audit_logger()

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditLog:
        return cls(settings.log_format, settings.audit_salt, settings.log_content)

    def client_id(self, address: str) -> str:
        """A salted hash of the client address: the same client gets the same id (within
        one salt), the address cannot be read back."""
        return hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest()[:16]

    def line(
        self,
        route: str,
        status: int,
        seconds: float,
        client: str,
        record: Record | None,
        method: str = "",
    ) -> str:
        """The line; ``record`` None for a request that asked nothing."""
        fields: dict[str, Any] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "method": method or None,
            "route": route,
            "status": status,
            "ms": round(seconds * 1000, 1),
            "client": self.client_id(client),
        }
        if record is not None:
            fields["question_chars"] = record.question_chars
            fields["citations"] = record.citations
            fields["refused"] = record.refused
            fields["feedback"] = record.feedback
            fields["learned"] = record.learned
            if self.with_content and record.question:
                fields["question"] = record.question
        fields = {k: v for k, v in fields.items() if v is not None}
        if self.fmt == "json":
            return json.dumps({"audit": True, **fields}, ensure_ascii=False)
        return "audit " + " ".join(f"{k}={_text_value(v)}" for k, v in fields.items())

    def write(
        self,
        route: str,
        status: int,
        seconds: float,
        client: str,
        record: Record | None,
        method: str = "",
    ) -> None:
        self.logger.info(self.line(route, status, seconds, client, record, method))

    def ask(self, route: str, status: int, started: float, client: str, record: Record) -> None:
        """The line of an answer computed outside an HTTP request (the chat page's queue);
        ``started`` is a :func:`time.perf_counter` reading."""
        self.write(route, status, time.perf_counter() - started, client, record)


def _text_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and (not value or any(c.isspace() or c in '"=' for c in value)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class _Stderr(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when the line is written (not when the handler
    was made), one line per record."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:  # a closed stream must not break the request
            self.handleError(record)


def audit_logger() -> logging.Logger:
    """The audit logger: each line as it is, to stderr; not passed on to the root logger."""
    logger = logging.getLogger(LOGGER)
    if not logger.handlers:
        logger.addHandler(_Stderr())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
