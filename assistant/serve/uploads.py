"""The server's guard for uploaded files: a request naming a file must name an uploaded one.

Gradio normally refuses ``FileData`` paths outside its upload folder, but that check is
skipped when the app is mounted with ``gr.mount_gradio_app`` (as
:mod:`assistant.serve.server` does), and Gradio then copies *any* server file it is pointed
at into its cache before the event handler runs. :class:`UploadGuard` applies
:func:`assistant.ui.uploads.uploaded_file` to every request to the Gradio app first.
"""

from __future__ import annotations

import json
from typing import Any

from assistant.serve.asgi import ASGIApp, Message, Receive, Scope, Send, header, reply
from assistant.ui.uploads import NotUploaded, uploaded_file


def forged_paths(data: Any) -> list[str]:
    """The ``path`` of every file object in a request's JSON that is not an uploaded file."""
    found: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            path = item.get("path")
            if isinstance(path, str):
                try:
                    uploaded_file(path)
                except NotUploaded:
                    found.append(path)
            stack.extend(item.values())
    return found


class UploadGuard:
    """ASGI middleware: a JSON request to the chat page's Gradio app that names a file must
    name an uploaded one; otherwise 403 before Gradio reads (or copies) anything.

    ``/api`` (the JSON API, which takes no files) and non-JSON bodies (the upload route's
    multipart form) pass untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _json_to_gradio(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            forged = forged_paths(json.loads(body))
        except ValueError:
            forged = []  # not JSON after all: Gradio answers it
        if forged:
            await reply(send, 403, "only files uploaded to this server are accepted")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _json_to_gradio(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] == "GET":
        return False
    path = str(scope.get("path", ""))
    if path == "/api" or path.startswith("/api/"):
        return False
    return not header(scope, b"content-type").lower().startswith("multipart/")
