"""Failed-login limiting for the chat page's login form and the API's HTTP Basic.

Failures are counted per client address (10 a minute, then that client gets 429 with
``Retry-After`` until the oldest failure is out of the window) and per account (50 a minute
from all clients together: a crowd of addresses cannot guess on and on). A browser that has
logged in before carries a signed device cookie (:mod:`assistant.serve.sessions`); its
logins count only against that device, so neither a flood from elsewhere on the account nor
another program on the same address can lock its user out. A successful login clears the
counts it was checked against.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

LIMIT = 10
WINDOW_S = 60.0
ACCOUNT_LIMIT = 50
#: Keys remembered at most (the oldest are forgotten first), so a crowd of addresses or
#: made-up user names cannot grow the table without bound.
MAX_KEYS = 10_000


class FailedLogins:
    """Recent failed logins per key (a client address, an account, a device; thread-safe)."""

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

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again; 0 when it may now."""
        with self._lock:
            now = self.clock()
            recent = self._recent(key, now)
            if len(recent) < self.limit:
                return 0
            return max(1, math.ceil(recent[-self.limit] + self.window_s - now))

    def failed(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            recent = self._recent(key, now)
            recent.append(now)
            while len(recent) > self.limit:
                recent.popleft()
            self._failures[key] = recent
            while len(self._failures) > MAX_KEYS:
                del self._failures[next(iter(self._failures))]

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        recent = self._failures.pop(key, deque())  # re-inserted last: most recent key
        while recent and recent[0] <= now - self.window_s:
            recent.popleft()
        if recent:
            self._failures[key] = recent
        return recent


@dataclass
class LoginThrottle:
    """The counts a login attempt is checked against: its device's alone when it comes from
    a browser that logged in before, else its client's and its account's."""

    clients: FailedLogins = field(default_factory=FailedLogins)
    accounts: FailedLogins = field(default_factory=lambda: FailedLogins(ACCOUNT_LIMIT))
    devices: FailedLogins = field(default_factory=FailedLogins)

    def _counts(self, client: str, user: str, device: str | None) -> list[tuple[FailedLogins, str]]:
        if device:
            return [(self.devices, device)]
        return [(self.clients, client), (self.accounts, user.strip().lower()[:200])]

    def retry_after(self, client: str, user: str = "", device: str | None = None) -> int:
        """Seconds until this attempt may be made; 0 when it may now."""
        return max(count.retry_after(key) for count, key in self._counts(client, user, device))

    def failed(self, client: str, user: str = "", device: str | None = None) -> None:
        for count, key in self._counts(client, user, device):
            count.failed(key)

    def succeeded(self, client: str, user: str, device: str | None = None) -> None:
        """The right password: its account and its client or device start from zero."""
        self.accounts.clear(user.strip().lower()[:200])
        for count, key in self._counts(client, user, device):
            count.clear(key)


def too_many(seconds: int) -> tuple[str, dict[str, str]]:
    """The 429 message and headers."""
    return (
        f"too many failed logins; try again in {seconds} s",
        {"Retry-After": str(seconds)},
    )
