"""Bounded requests: a body over its limit gets 413 before anything reads it (the password
check included), and JSON nested deeper than any request of this app needs gets 400 before
a parser recurses into it.

Multipart bodies (Gradio's upload route) may be ``JEUGDAKKOORD_MAX_UPLOAD_MB``, every other
body ``JEUGDAKKOORD_MAX_JSON_KB``. A declared ``Content-Length`` is checked before reading;
a chunked body is counted as it streams: other bodies are read into memory up to their limit
and then passed on, uploads are passed on as they come and cut off at theirs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from assistant.serve.asgi import (
    ASGIApp,
    Message,
    Receive,
    Scope,
    Send,
    header,
    read_body,
    reply,
)

#: Deeper JSON is refused (Gradio's payloads and the API's requests are a few levels deep).
MAX_JSON_DEPTH = 64


def json_depth(body: bytes) -> int:
    """How deeply a JSON body nests its arrays and objects, counted without recursion (0
    when it is no JSON: the app reports that itself). Python's parser gives up on nesting
    near its recursion limit: that counts as too deep."""
    try:
        value = json.loads(body)
    except RecursionError:
        return sys.getrecursionlimit()
    except ValueError:
        return 0
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack and deepest <= MAX_JSON_DEPTH:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def is_multipart(scope: Scope) -> bool:
    return header(scope, b"content-type").lower().startswith("multipart/")


class BodyLimit:
    """ASGI middleware: 413 for a body over its limit, 400 for JSON nested too deeply."""

    def __init__(self, app: ASGIApp, json_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.json_bytes = json_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        multipart = is_multipart(scope)
        limit = self.upload_bytes if multipart else self.json_bytes
        declared = header(scope, b"content-length").strip()
        if declared and (not declared.isdigit() or int(declared) > limit):
            await self.too_large(send, limit, declared.isdigit())
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS") and not declared:
            await self.app(scope, receive, send)  # no body (a stream's receive is untouched)
            return
        if multipart:
            counting, sending, was_cut = self.counted(receive, send, limit)
            try:
                await self.app(scope, counting, sending)
            except Exception:
                if not was_cut():  # after a cut, the app's complaint is about our disconnect
                    raise
            return
        body = await read_body(receive, limit)
        if body is None:
            await self.too_large(send, limit, True)
            return
        if json_depth(body) > MAX_JSON_DEPTH:
            await reply(send, 400, f"invalid JSON: nested more than {MAX_JSON_DEPTH} levels deep")
            return
        await self.app(scope, replay(body, receive), send)

    async def too_large(self, send: Send, limit: int, valid: bool) -> None:
        if not valid:
            await reply(send, 400, "invalid Content-Length")
            return
        size = f"{limit // 1024} KB" if limit < 1024 * 1024 else f"{limit // (1024 * 1024)} MB"
        await reply(send, 413, f"request body too large: at most {size}")

    def counted(
        self, receive: Receive, send: Send, limit: int
    ) -> tuple[Receive, Send, Callable[[], bool]]:
        """``receive`` that ends the request once more than ``limit`` bytes came (413 to the
        client, a disconnect to the app), ``send`` that drops the app's answer then, and
        whether that happened."""
        size = 0
        cut = started = False

        async def counting() -> Message:
            nonlocal size, cut
            if cut:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    cut = True
                    if not started:
                        await self.too_large(send, limit, True)
                    return {"type": "http.disconnect"}
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if cut:
                return
            started = True
            await send(message)

        return counting, sending, lambda: cut


def replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` that gives the app ``body`` once, then waits for the client to leave."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again
