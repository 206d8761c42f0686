"""Sessions of the chat page when ``JEUGDAKKOORD_AUTH`` is set: who is logged in, the token
that proves a login form came from this server's own page, and the device cookie that keeps
a returning browser out of other clients' failed-login counts.

All secrets are per server process: a restart logs everyone out (sessions live in memory).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable

SESSION_TTL_S = 12 * 3600
CSRF_TTL_S = 12 * 3600
DEVICE_TTL_S = 30 * 86400
#: Open sessions at most (the oldest is closed first).
MAX_SESSIONS = 1000


class Sessions:
    """The open sessions and the signed tokens of one server process (thread-safe)."""

    def __init__(
        self, credentials: tuple[str, str], clock: Callable[[], float] = time.time
    ) -> None:
        self.credentials = credentials
        self.clock = clock
        self._secret = secrets.token_bytes(32)
        # Cookies are not kept apart by port: name them per server process, as Gradio does.
        suffix = secrets.token_hex(4)
        self.session_cookie = f"jeugdakkoord-session-{suffix}"
        self.device_cookie = f"jeugdakkoord-device-{suffix}"
        self._open: dict[str, tuple[str, float]] = {}  # token -> (user, expires)
        self._lock = threading.Lock()

    def password_ok(self, user: str, password: str) -> bool:
        """Whether ``user`` and ``password`` are the configured ones (constant time)."""
        want_user, want_password = self.credentials
        same_user = secrets.compare_digest(user.encode(), want_user.encode())
        same_password = secrets.compare_digest(password.encode(), want_password.encode())
        return same_user and same_password

    # -- sessions -----------------------------------------------------------------------

    def open(self, user: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._open[token] = (user, self.clock() + SESSION_TTL_S)
            while len(self._open) > MAX_SESSIONS:
                del self._open[next(iter(self._open))]
        return token

    def user(self, token: str | None) -> str | None:
        """The user of an open session; None for anything else."""
        if not token:
            return None
        with self._lock:
            found = self._open.get(token)
            if found is None:
                return None
            if found[1] <= self.clock():
                del self._open[token]
                return None
            return found[0]

    def close(self, token: str | None) -> None:
        with self._lock:
            self._open.pop(token or "", None)

    # -- signed tokens ------------------------------------------------------------------

    def _sign(self, *parts: str) -> str:
        return hmac.new(self._secret, "|".join(parts).encode(), hashlib.sha256).hexdigest()[:32]

    def csrf_token(self) -> str:
        """A token for one login form (the page embeds it; only its own page can read it)."""
        expires, nonce = str(int(self.clock() + CSRF_TTL_S)), secrets.token_urlsafe(12)
        return f"{expires}.{nonce}.{self._sign('csrf', expires, nonce)}"

    def csrf_ok(self, token: str) -> bool:
        expires, _, rest = token.partition(".")
        nonce, _, signature = rest.partition(".")
        return (
            expires.isdigit()
            and int(expires) > self.clock()
            and hmac.compare_digest(signature, self._sign("csrf", expires, nonce))
        )

    def device_token(self, user: str) -> str:
        """The device cookie's value after ``user`` logged in from a browser."""
        expires, nonce = str(int(self.clock() + DEVICE_TTL_S)), secrets.token_urlsafe(12)
        return f"{expires}.{nonce}.{self._sign('device', user, expires, nonce)}"

    def device(self, token: str | None, user: str) -> str | None:
        """The device id in a valid device cookie for ``user``; None otherwise."""
        expires, _, rest = (token or "").partition(".")
        nonce, _, signature = rest.partition(".")
        valid = (
            expires.isdigit()
            and int(expires) > self.clock()
            and hmac.compare_digest(signature, self._sign("device", user, expires, nonce))
        )
        return nonce if valid else None
