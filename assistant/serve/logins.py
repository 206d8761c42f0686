"""Failed-login limiting for the chat page's login form and the API's HTTP Basic: after
``limit`` wrong passwords from one client within ``window_s`` seconds, every login attempt
from it gets 429 with ``Retry-After`` until the oldest failure is out of the window."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from assistant.serve.asgi import ASGIApp, Message, Receive, Scope, Send, client_of, reply

LIMIT = 10
WINDOW_S = 60.0
#: Clients remembered at most (the oldest are forgotten first), so a crowd of addresses
#: cannot grow the table without bound.
MAX_CLIENTS = 10_000


class FailedLogins:
    """Recent failed logins per client address (thread-safe)."""

    def __init__(
        self,
        limit: int = LIMIT,
        window_s: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again; 0 when it may now."""
        with self._lock:
            now = self.clock()
            recent = self._recent(client, now)
            if len(recent) < self.limit:
                return 0
            return max(1, math.ceil(recent[-self.limit] + self.window_s - now))

    def failed(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            recent = self._recent(client, now)
            recent.append(now)
            while len(recent) > self.limit:
                recent.popleft()
            self._failures[client] = recent
            while len(self._failures) > MAX_CLIENTS:
                del self._failures[next(iter(self._failures))]

    def _recent(self, client: str, now: float) -> deque[float]:
        recent = self._failures.pop(client, deque())  # re-inserted last: most recent client
        while recent and recent[0] <= now - self.window_s:
            recent.popleft()
        if recent:
            self._failures[client] = recent
        return recent


def too_many(seconds: int) -> tuple[str, dict[str, str]]:
    """The 429 message and headers."""
    return (
        f"too many failed logins; try again in {seconds} s",
        {"Retry-After": str(seconds)},
    )


class LoginLimit:
    """ASGI middleware around Gradio's login form (``POST /login``): 429 while a client is
    over the limit, and a failure counted for every refused password (Gradio answers 400)."""

    def __init__(self, app: ASGIApp, logins: FailedLogins) -> None:
        self.app = app
        self.logins = logins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", "")).rstrip("/")
        if scope["type"] != "http" or scope["method"] != "POST" or path != "/login":
            await self.app(scope, receive, send)
            return
        client = client_of(scope)
        if wait := self.logins.retry_after(client):
            message, headers = too_many(wait)
            await reply(send, 429, message, headers)
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (400, 401):
                self.logins.failed(client)
            await send(message)

        await self.app(scope, receive, watch)
