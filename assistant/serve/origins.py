"""Which web pages may act on this server: its own, and the origins ``JEUGDAKKOORD_ORIGINS``
lists (e.g. the public address a reverse proxy serves it under).

A page from another origin, another local port included, can make the user's browser send
requests here, with the user's cookies. Reading the answers is CORS's business (only listed
origins get CORS headers, see :func:`assistant.server.build_server`); a request that
changes something (a login attempt, an upload, a queued question) is refused here with 403
before anything reads or counts it. Browsers name the page in ``Origin`` on every such request
(``null`` when it hides itself), else ``Sec-Fetch-Site`` or ``Referer``; a request naming none
comes from a program, not a page, and passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from assistant.serve.asgi import ASGIApp, Receive, Scope, Send, header, reply

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}


def normalize_origin(value: str) -> str:
    """``HTTP://LocalHost:80/`` → ``http://localhost``; "" for anything that is no origin."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        return ""
    if ":" in host:
        host = f"[{host}]"
    if port is not None and str(port) != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def own_origin(scope: Scope) -> str:
    """The origin the request was addressed to: its scheme and ``Host``."""
    scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope["scheme"])
    return normalize_origin(f"{scheme}://{header(scope, b'host')}")


def from_allowed_page(scope: Scope, allowed: frozenset[str]) -> bool:
    """Whether a browser sent this request from this server's own pages or a listed origin
    (or no browser page sent it at all)."""
    ours = {own_origin(scope), *allowed} - {""}
    origin = header(scope, b"origin")
    if origin:
        return normalize_origin(origin) in ours  # "null" normalizes to ""
    site = header(scope, b"sec-fetch-site").lower()
    if site in ("cross-site", "same-site"):
        return False
    referer = header(scope, b"referer")
    return not referer or normalize_origin(referer) in ours


def origins(values: Iterable[str]) -> frozenset[str]:
    """The listed origins, normalized (entries that are no origin are dropped)."""
    return frozenset(o for o in (normalize_origin(v) for v in values) if o)


class CrossSiteGuard:
    """ASGI middleware: 403 for a state-changing request (any method but GET, HEAD, OPTIONS)
    or a WebSocket from another origin's page, before any other check reads or counts it."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        checked = kind == "websocket" or (kind == "http" and scope["method"] not in SAFE_METHODS)
        if checked and not from_allowed_page(scope, self.allowed):
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await reply(
                send,
                403,
                "refused: this request came from another web site's page; only this server's "
                "own pages (and JEUGDAKKOORD_ORIGINS) may send it",
            )
            return
        await self.app(scope, receive, send)
