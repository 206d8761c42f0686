"""The JSON API served beside the chat page: the same assistant for scripts and integrations.

Mounted at ``/api`` (``GET /api/openapi.json`` describes it):
``GET  /api/health``                       index generation, documents and chunks
``POST /api/search``  {query, k, doc_ids}  the passages, as ``jeugdakkoord search --json``
``POST /api/ask``     {question, history, doc_ids}  one answer, as ``jeugdakkoord ask --json``
``POST /api/ask?stream=true``              the same answer as NDJSON events, one per line:
                                           status, token, reset, then the answer
``POST /api/compare`` {topic, doc_ids, language}  each document's position, as ``compare --json``
``POST /api/matrix``  {topics, defaults, doc_ids, language}  the topic matrix, as ``matrix --json``
``GET  /api/chapters/{name}``              a draft chapter, as ``chapter list NAME --json``
``POST /api/feedback`` {question, chunk_id, verdict, reason, history}  201 with the judgement
``GET  /api/feedback``                     every judgement, its state against the index
``DELETE /api/feedback/{id}``              removes one judgement completely

The chat page's password (HTTP Basic) protects it, schema included, whenever one is set;
wrong passwords count towards the chat page's failed-login limit (429 with ``Retry-After``).
Document ids that are not in the index get 422 naming them. At most
``settings.workers`` answers are computed at once, chat page and API together (see
:mod:`assistant.serve.slots`); a request that cannot get a slot within
``SLOT_TIMEOUT_S`` gets 503 with ``Retry-After`` instead of piling up; while it waits it
holds no worker thread. One client holds at most half the slots and has at most
``CLIENT_UNITS`` answers' worth of work under way (a matrix weighs its topic count; more gets
429); a matrix is computed ``MATRIX_SLICE`` topics per slot, so others get a turn between
slices. Errors are JSON ``{"error": ...}``, never a traceback.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.answering.answer import AnswerEvent, Assistant
from assistant.answering.evidence import scoped_search
from assistant.answering.feedback import MAX_REASON_CHARS, FeedbackError, FeedbackOff
from assistant.core import audit
from assistant.core.errors import error_text, http_status, message
from assistant.core.types import Answer
from assistant.positions.compare import (
    Comparison,
    Matrix,
    Positions,
    TopicError,
    matrix_rows,
    matrix_topics,
)
from assistant.retrieval.retriever import QueryError
from assistant.serve.asgi import client_of
from assistant.serve.logins import FailedLogins, LoginThrottle, too_many
from assistant.serve.slots import AnswerSlots, Busy, ClientQuota, TooMany
from assistant.store.index import IndexError_
from assistant.workspace.chapter import ChapterError, ChapterStore, chapter_report

MAX_TEXT = 100_000  # longer questions are refused here; the assistant shortens long ones
#: One earlier question of a conversation: capped like the question itself.
Turn = Annotated[str, Field(max_length=MAX_TEXT)]
MAX_K = 50
MAX_TOPICS = 100
#: Topics of a matrix computed per answer slot: a 100-topic matrix lets other requests in
#: every few seconds instead of holding a worker for minutes.
MATRIX_SLICE = 4
_BASIC = HTTPBasic(auto_error=False, realm="jeugdakkoord")


class SearchRequest(BaseModel):
    query: str = Field(max_length=MAX_TEXT)
    k: int = Field(default=5, ge=1, le=MAX_K)
    doc_ids: list[str] = Field(default_factory=list, max_length=1000)
    #: False: ignore the documents the query names (search the whole corpus).
    use_scope: bool = True


class CompareRequest(BaseModel):
    topic: str = Field(max_length=MAX_TEXT)
    doc_ids: list[str] = Field(default_factory=list, max_length=1000)
    language: Literal["nl", "en"] | None = None


class MatrixRequest(BaseModel):
    topics: list[str] = Field(default_factory=list, max_length=MAX_TOPICS)
    defaults: bool = True
    doc_ids: list[str] = Field(default_factory=list, max_length=1000)
    language: Literal["nl", "en"] | None = None


class AskRequest(BaseModel):
    question: str = Field(max_length=MAX_TEXT)
    history: list[Turn] = Field(default_factory=list, max_length=50)
    doc_ids: list[str] = Field(default_factory=list, max_length=1000)
    use_scope: bool = True
    #: Language of the answer ("nl" or "en"); default the question's.
    language: Literal["nl", "en"] | None = None
    #: False: ignore the users' earlier verdicts (default: the feedback setting).
    learn: bool | None = None


class FeedbackRequest(BaseModel):
    question: str = Field(max_length=MAX_TEXT)
    chunk_id: str = Field(max_length=200)
    verdict: str = Field(max_length=20)
    reason: str = Field(default="", max_length=MAX_REASON_CHARS)
    history: list[Turn] = Field(default_factory=list, max_length=50)


#: Judgements one client may send per minute; more get 429 as failed logins do.
FEEDBACK_PER_MINUTE = 30


def event_dict(event: AnswerEvent) -> dict[str, Any]:
    if event.answer is not None:
        return {"event": "answer", "answer": event.answer.to_dict()}
    return {"event": event.kind, "text": event.text}


def _basic_auth(credentials: tuple[str, str] | None, logins: LoginThrottle | None = None) -> Any:
    """A dependency that checks the chat page's ``user:password``, or nothing when unset;
    a client over the failed-login limit gets 429, whatever it sends."""

    def check(
        request: Request, given: Annotated[HTTPBasicCredentials | None, Depends(_BASIC)]
    ) -> None:
        if credentials is None:
            return
        client = client_of(request.scope)
        user = given.username if given is not None else ""
        if logins is not None and (wait := logins.retry_after(client, user)):
            text, headers = too_many(wait)
            raise HTTPException(429, text, headers=headers)
        ok = given is not None and all(
            secrets.compare_digest(a.encode(), b.encode())
            for a, b in ((given.username, credentials[0]), (given.password, credentials[1]))
        )
        if not ok:
            if given is not None and logins is not None:
                logins.failed(client, user)
            raise HTTPException(
                401,
                message("auth_required"),
                headers={"WWW-Authenticate": 'Basic realm="jeugdakkoord"'},
            )

    return check


def _busy(exc: Busy | TooMany) -> HTTPException:
    return HTTPException(http_status(exc), error_text(exc), headers={"Retry-After": "5"})


def _http(exc: Exception) -> HTTPException:
    """The error's status by its kind (core.errors.KINDS) and its words."""
    return HTTPException(http_status(exc), error_text(exc))


async def _check_doc_ids(assistant: Assistant, doc_ids: list[str]) -> None:
    """422 naming the requested document ids the index does not have (a typo would
    otherwise filter everything away and look like "not in the sources")."""
    if not doc_ids:
        return
    try:
        snap = await anyio.to_thread.run_sync(assistant.retriever.snapshot)
    except IndexError_:
        return  # the request itself reports the missing index
    known = {record.doc_id for record in snap.documents().values()}
    unknown = [d for d in dict.fromkeys(doc_ids) if d not in known]
    if unknown:
        shown = ", ".join(repr(d[:100]) for d in unknown[:20])
        more = f" and {len(unknown) - 20} more" if len(unknown) > 20 else ""
        raise HTTPException(422, message("unknown_doc_ids", docs=shown + more))


@dataclass
class _Served:
    """What every route shares: one assistant, the answer slots (chat page and API together)
    and the per-client quota."""

    assistant: Assistant
    slots: AnswerSlots
    quota: ClientQuota = field(default_factory=ClientQuota)
    #: Judgements per client and minute: one window with the chat page's buttons.
    feedback_limit: FailedLogins = field(
        default_factory=lambda: FailedLogins(limit=FEEDBACK_PER_MINUTE)
    )

    @asynccontextmanager
    async def turn(self, request: Request, weight: int = 1) -> AsyncIterator[None]:
        """A slot for this request's client, within its quota (TooMany, Busy otherwise)."""
        client = client_of(request.scope)
        with self.quota.admit(client, weight):
            async with self.slots.slot_async(client):  # waits in the event loop
                yield


def api_router(
    assistant: Assistant,
    slots: AnswerSlots,
    credentials: tuple[str, str] | None = None,
    logins: LoginThrottle | None = None,
    feedback_limit: FailedLogins | None = None,
) -> APIRouter:
    """``feedback_limit``: the judgements' window per client, shared with the chat page
    (a client gets FEEDBACK_PER_MINUTE in all, not that many on each face)."""
    router = APIRouter(dependencies=[Depends(_basic_auth(credentials, logins))])
    served = _Served(assistant, slots)
    if feedback_limit is not None:
        served.feedback_limit = feedback_limit
    _health_route(router, served)
    _search_route(router, served)
    _position_routes(router, served)
    _chapter_route(router, served)
    _feedback_routes(router, served, credentials)
    _ask_route(router, served)
    return router


def _health_route(router: APIRouter, served: _Served) -> None:
    """GET /health: the index generation, its size, the models and who judges."""
    assistant = served.assistant

    @router.get("/health")
    def health() -> dict[str, Any]:
        try:
            snap = assistant.retriever.snapshot()
        except IndexError_ as exc:
            raise _http(exc) from None
        return {
            "status": "ok",
            "generation": snap.generation.number,
            "documents": len(snap.documents()),
            "chunks": len(snap.chunks),
            "model": assistant.retriever.embedder.model_id,
            # The second dense view only counts when this generation was built with it.
            "ensemble": snap.generation.ensemble_model_id or None,
            "reranker": reranker.model_id if (reranker := assistant.retriever.reranker) else None,
            "judge": assistant.retriever.judge_status(),
        }


def _search_route(router: APIRouter, served: _Served) -> None:
    """POST /search: the passages for a query, scoped like a question."""
    assistant, turn = served.assistant, served.turn

    @router.post("/search")
    async def search(body: SearchRequest, request: Request) -> dict[str, Any]:
        audit.note(body.query)
        await _check_doc_ids(assistant, body.doc_ids)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        try:
            async with turn(request):  # computes in a thread
                hits, scope = await anyio.to_thread.run_sync(
                    lambda: scoped_search(
                        assistant.retriever,
                        body.query,
                        body.k,
                        body.doc_ids,
                        timings,
                        body.use_scope,
                    )
                )
        except (Busy, TooMany) as exc:
            raise _busy(exc) from None
        except QueryError as exc:
            raise _http(exc) from None
        timings["total_ms"] = (time.perf_counter() - t0) * 1000
        return {
            "query": body.query,
            "results": [h.to_dict() for h in hits],
            "scope": scope.to_dict(),
            "timings_ms": {k: round(v, 1) for k, v in timings.items()},
        }


def _position_routes(router: APIRouter, served: _Served) -> None:
    """POST /compare and /matrix: positions per document, one topic or many."""
    assistant, slots, quota, turn = served.assistant, served.slots, served.quota, served.turn

    positions = Positions(assistant.retriever)

    @router.post("/compare")
    async def compare(body: CompareRequest, request: Request) -> dict[str, Any]:
        audit.note(body.topic)
        await _check_doc_ids(assistant, body.doc_ids)
        try:
            async with turn(request):
                result = await anyio.to_thread.run_sync(
                    lambda: positions.compare(body.topic, body.doc_ids or None, body.language)
                )
        except (Busy, TooMany) as exc:
            raise _busy(exc) from None
        except TopicError as exc:
            raise _http(exc) from None
        return result.to_dict()

    @router.post("/matrix")
    async def matrix(body: MatrixRequest, request: Request) -> dict[str, Any]:
        await _check_doc_ids(assistant, body.doc_ids)
        t0 = time.perf_counter()
        client = client_of(request.scope)
        doc_ids = body.doc_ids or None
        rows: list[Comparison] = []
        try:
            topics = await anyio.to_thread.run_sync(
                lambda: matrix_topics(positions, body.topics, body.defaults, body.language)
            )
            with quota.admit(client, len(topics)):  # it weighs as many answers as it has rows
                for start in range(0, len(topics), MATRIX_SLICE):
                    part = topics[start : start + MATRIX_SLICE]
                    async with slots.slot_async(client):  # a turn per slice
                        rows += await anyio.to_thread.run_sync(
                            partial(matrix_rows, positions, part, doc_ids, body.language)
                        )
        except (Busy, TooMany) as exc:
            raise _busy(exc) from None
        except TopicError as exc:
            raise _http(exc) from None
        return Matrix(rows, {"total_ms": (time.perf_counter() - t0) * 1000}).to_dict()


def _chapter_route(router: APIRouter, served: _Served) -> None:
    """GET /chapters/{name}: a draft chapter with its sources checked."""
    assistant = served.assistant

    chapters = ChapterStore(assistant.settings.index_dir)

    @router.get("/chapters/{name}")
    def chapter(name: str) -> dict[str, Any]:
        try:
            found = chapters.get(name)
        except ChapterError as exc:
            raise _http(exc) from None
        try:
            chunks = assistant.retriever.snapshot().chunks
        except IndexError_:
            chunks = []
        return chapter_report(found, chunks)


def _feedback_routes(
    router: APIRouter, served: _Served, credentials: tuple[str, str] | None
) -> None:
    """POST, GET and DELETE /feedback: the users' judgements (rate-limited)."""
    assistant = served.assistant

    flood = served.feedback_limit

    @router.post("/feedback", status_code=201)
    async def feedback(
        body: FeedbackRequest,
        request: Request,
        given: Annotated[HTTPBasicCredentials | None, Depends(_BASIC)],
    ) -> dict[str, object]:
        audit.count_feedback()
        client = client_of(request.scope)
        if wait := flood.retry_after(client):
            raise HTTPException(
                429, message("feedback_rate", n=wait), headers={"Retry-After": str(wait)}
            )
        flood.failed(client)  # every judgement counts, not only failures
        user = given.username if credentials is not None and given is not None else ""
        try:
            judgement = await anyio.to_thread.run_sync(
                lambda: assistant.feedback.record(
                    body.question,
                    body.chunk_id,
                    body.verdict,
                    body.reason,
                    history=body.history,
                    user=user,
                )
            )
        except FeedbackError as exc:
            raise _http(exc) from None
        except FeedbackOff as exc:
            raise _http(exc) from None
        return judgement.to_dict()

    @router.get("/feedback")
    async def feedback_list() -> dict[str, object]:
        try:
            found = await anyio.to_thread.run_sync(assistant.feedback.list)
        except FeedbackOff as exc:
            raise _http(exc) from None
        return {"judgements": [j.to_dict() for j in found]}

    @router.delete("/feedback/{judgement_id}")
    async def feedback_delete(judgement_id: int) -> dict[str, object]:
        try:
            gone = await anyio.to_thread.run_sync(assistant.feedback.delete, judgement_id)
        except FeedbackOff as exc:
            raise _http(exc) from None
        if not gone:
            raise HTTPException(404, message("feedback_missing", id=judgement_id))
        return {"deleted": judgement_id}


def _ask_route(router: APIRouter, served: _Served) -> None:
    """POST /ask: an answer, whole or streamed as NDJSON events."""
    assistant, slots, quota, turn = served.assistant, served.slots, served.quota, served.turn

    @router.post("/ask", response_model=None)
    async def ask(
        body: AskRequest, request: Request, stream: Annotated[bool, Query()] = False
    ) -> dict[str, Any] | StreamingResponse:
        audit.note(body.question)
        await _check_doc_ids(assistant, body.doc_ids)
        if stream:
            client = client_of(request.scope)
            try:
                quota.take(client, 1)
            except TooMany as exc:
                raise _busy(exc) from None
            if not await slots.acquire_async(client=client):
                quota.give_back(client, 1)
                raise _busy(Busy(slots.timeout_s))

            def done() -> None:
                slots.release(client)
                quota.give_back(client, 1)

            # it owns the slot from here on, and tells the request's audit record the answer
            events = _answer_in_thread(assistant, body, done, audit.current())
            return StreamingResponse(_ndjson(events), media_type="application/x-ndjson")
        try:
            async with turn(request):
                answer: Answer = await anyio.to_thread.run_sync(
                    lambda: assistant.ask(*_asked(body))
                )
        except (Busy, TooMany) as exc:
            raise _busy(exc) from None
        audit.note(answer=answer)
        return answer.to_dict()


def _asked(
    body: AskRequest,
) -> tuple[str, list[str], list[str] | None, str | None, bool, bool | None]:
    """The request as ``Assistant.ask``'s arguments, whole or streamed alike."""
    return (body.question, body.history, body.doc_ids or None, body.language, body.use_scope,
            body.learn)  # fmt: skip


def _answer_in_thread(
    assistant: Assistant,
    body: AskRequest,
    done: Callable[[], None],
    record: audit.Record | None,
) -> queue.Queue[dict[str, Any] | None]:
    """Compute the answer in its own thread, its events put on the returned queue (``None``
    ends it). The thread frees the slot (``done``) when it is done, even if the client never
    reads."""
    events: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def produce() -> None:
        try:
            for event in assistant.ask_stream(*_asked(body)):
                if event.answer is not None and record is not None:
                    audit.note_on(record, answer=event.answer)
                events.put(event_dict(event))
        except Exception as exc:  # reported in the stream; the connection stays clean
            events.put({"event": "error", "error": error_of(exc)[1]})
        finally:
            done()
            events.put(None)

    threading.Thread(target=produce, name="api-answer", daemon=True).start()
    return events


async def _ndjson(events: queue.Queue[dict[str, Any] | None]) -> AsyncIterator[str]:
    while (item := await anyio.to_thread.run_sync(events.get)) is not None:
        yield json.dumps(item, ensure_ascii=False) + "\n"


def error_of(exc: BaseException) -> tuple[int, str]:
    """HTTP status and a one-line message for an error raised while answering: its kind's
    status and words, or 500 and no details for an unexpected one."""
    status = http_status(exc)
    return (status, error_text(exc)) if status != 500 else (500, message("internal"))


def create_api(
    assistant: Assistant,
    slots: AnswerSlots,
    credentials: tuple[str, str] | None = None,
    logins: LoginThrottle | None = None,
    feedback_limit: FailedLogins | None = None,
) -> FastAPI:
    """The API as its own app, mounted at ``/api`` beside the chat page.

    Its schema is at ``/api/openapi.json``, behind the password like every route; no Swagger
    page, which would load scripts from a CDN (nothing here contacts other hosts).
    """
    api = FastAPI(
        title="jeugdakkoord API",
        summary="Cited answers and draft clauses from the youth-policy sources.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # FastAPI's own schema route would skip the password
    )
    _install_error_handlers(api)
    api.include_router(api_router(assistant, slots, credentials, logins, feedback_limit))

    @api.get(
        "/openapi.json",
        include_in_schema=False,
        dependencies=[Depends(_basic_auth(credentials, logins))],
    )
    def schema() -> dict[str, Any]:
        return api.openapi()

    return api


def _install_error_handlers(app: FastAPI) -> None:
    """JSON errors ``{"error": ...}``, never a traceback."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if exc.status_code == 404 and detail == "Not Found":
            detail = message("unknown_route", path=request.url.path)
        return JSONResponse({"error": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: {e.get('msg', '')}"
            for e in exc.errors()
        ]
        return JSONResponse(
            {"error": message("invalid_request", problems="; ".join(problems))}, 422
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        status, message = error_of(exc)
        return JSONResponse({"error": message}, status_code=status)
