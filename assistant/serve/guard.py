"""HTTP hardening of the chat server: which Host it answers to, the headers that keep its
pages from running or being framed by anything else, and which files a request may name.

DNS rebinding lets a web page the negotiator visits point its own domain name at
127.0.0.1 and then read the loopback chat server as "its" site; the browser then sends that
domain as ``Host``. A server that answers only to its own names (and to IP literals, which
rebinding cannot use) is out of reach. ``JEUGDAKKOORD_ALLOWED_HOSTS`` adds the names it is
reached by on an intranet or behind a proxy (``*`` switches the check off).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
from collections.abc import Iterable

from assistant.core.errors import message as error_message
from assistant.serve.asgi import ASGIApp, Message, Receive, Scope, Send, header, reply
from assistant.serve.uploads import forged_paths

#: What the Gradio page needs, all from this server: its scripts and styles (Gradio inlines
#: its configuration and component styles; its HTML component compiles each template with
#: ``new Function``, hence 'unsafe-eval'), images and fonts it builds as data:/blob: URLs, its
#: event stream. No other origin; no framing. Checked in chromium by
#: tests/browser/test_page_security.py (no violation reported).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
log = logging.getLogger(__name__)
_WILDCARD_BINDS = {"", "0.0.0.0", "::"}


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The host names the server answers to: ``localhost``, the name it is bound to (for a
    wildcard bind: this machine's names) and ``extra`` (JEUGDAKKOORD_ALLOWED_HOSTS)."""
    names = {"localhost", _bare(bound)}
    if _bare(bound) in _WILDCARD_BINDS:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    names |= {_bare(name) for name in extra if name.strip()}
    return frozenset(names - {""})


def host_allowed(host_header: str, allowed: frozenset[str]) -> bool:
    """Whether a request with this ``Host`` header may be answered."""
    if "*" in allowed:
        return True
    host = _host_name(host_header)
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True  # an address, not a name: DNS rebinding cannot produce it
    except ValueError:
        return host in allowed


def _bare(name: str) -> str:
    return name.strip().lower().rstrip(".").strip("[]")


def _host_name(host_header: str) -> str:
    """``example.org:7860`` → ``example.org``; ``[::1]:7860`` → ``::1``."""
    value = host_header.strip()
    if value.startswith("["):
        return _bare(value[1 : value.find("]")] if "]" in value else "")
    name, _, port = value.rpartition(":")
    if name and port.isdigit():
        value = name
    return "" if ":" in value else _bare(value)


class HttpGuard:
    """ASGI middleware: refuse foreign ``Host`` headers (400), add the security headers to
    every response, its own refusals and errors included, and answer an error that escapes
    the app with a JSON 500 (logged here, never shown)."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {bytes(k).lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.encode(), v.encode())
                    for k, v in SECURITY_HEADERS.items()
                    if k.encode() not in present
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if not host_allowed(header(scope, b"host"), self.allowed):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await reply(
                send_with_headers,
                400,
                "this server does not answer to that host name; add it to "
                "JEUGDAKKOORD_ALLOWED_HOSTS if it is yours",
            )
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started or scope["type"] != "http":
                raise
            log.exception("unexpected error answering %s %s", scope["method"], scope["path"])
            await reply(send_with_headers, 500, error_message("internal"))


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
        except (ValueError, RecursionError):
            forged = []  # not JSON after all (BodyLimit refuses deep nesting): Gradio answers
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
