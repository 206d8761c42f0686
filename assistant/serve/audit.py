"""The audit line of every HTTP request the chat server answers (see
:mod:`assistant.core.audit` for what a line holds and why)."""

from __future__ import annotations

import time

from assistant.core.audit import AuditLog, Record, bind
from assistant.serve.asgi import ASGIApp, Message, Receive, Scope, Send, client_of

#: Static files of the page: dozens per page view and nothing anybody asked; not audited.
ASSET_PREFIXES = (
    "/assets/",
    "/static/",
    "/svelte/",
    "/favicon",
    "/theme.css",
    "/gradio_api/file=",
)


class AuditMiddleware:
    """ASGI middleware: the audit line of every HTTP request (static files excepted), written
    when its response is done. The route is the path alone, never its query string."""

    def __init__(self, app: ASGIApp, log: AuditLog) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith(ASSET_PREFIXES):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        record = Record()
        status = 500  # unless the app answers

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            with bind(record):
                await self.app(scope, receive, watch)
        finally:
            asked = record if record.question_chars is not None or record.feedback else None
            seconds = time.perf_counter() - started
            method = str(scope.get("method", ""))
            self.log.write(path, status, seconds, client_of(scope), asked, method)
