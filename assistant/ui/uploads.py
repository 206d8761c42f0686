"""Files a browser uploaded: only what Gradio's upload route stored is accepted.

An event of the chat page carries ``FileData`` objects whose ``path`` the client chooses.
Gradio normally refuses paths outside its upload folder, but that check is skipped when the
app is mounted with ``gr.mount_gradio_app`` (as :mod:`assistant.serve.server` does), and Gradio
then copies *any* server file it is pointed at into its cache before the handler runs.

:func:`uploaded_file` is the one check, used by every place that accepts uploaded files:
:class:`UploadGuard` applies it to every request to the Gradio app before Gradio reads it,
and the document library applies it again to what the upload handler receives.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class NotUploaded(ValueError):
    """A path that Gradio's upload route did not store (or that is not a regular file)."""


def upload_folder() -> Path:
    """Gradio's upload folder (``GRADIO_TEMP_DIR``, else ``<tmp>/gradio``), symlinks resolved."""
    from gradio.utils import get_upload_folder

    return Path(os.path.realpath(get_upload_folder()))


def uploaded_file(path: str | os.PathLike[str]) -> Path:
    """The real path of an uploaded file; raises :class:`NotUploaded` unless ``path``, with
    every symlink followed, is a regular file inside Gradio's upload folder."""
    text = os.fspath(path)
    if not text or "\x00" in text or "://" in text:
        raise NotUploaded(f"not an uploaded file: {text[:200]!r}")
    real = Path(os.path.realpath(text))
    if not real.is_relative_to(upload_folder()) or not real.is_file():
        raise NotUploaded(f"not an uploaded file: {text[:200]!r}")
    return real


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
            await _reply(send, 403, {"error": "only files uploaded to this server are accepted"})
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
    content_type = dict(scope.get("headers", [])).get(b"content-type", b"").lower()
    return not content_type.startswith(b"multipart/")


async def _reply(send: Send, status: int, payload: dict[str, str]) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
