"""The answer slots: how many answers the chat server computes at once, chat page and API
together, and the queue of requests waiting for one."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

from assistant.core.errors import CodedError

SLOT_TIMEOUT_S = 60.0
#: Work one client may have under way at once (running or waiting), in answers: a topic
#: matrix weighs as many as it has topics. A single request is always admitted alone.
CLIENT_UNITS = 8


class AnswerSlots:
    """How many answers may be computed at once (a bounded semaphore with a waiting limit).

    Shared by the chat page and the API so that, together, they never ask more of the CPU
    than ``JEUGDAKKOORD_WORKERS`` answers at a time. The chat page waits in its own threads
    (:meth:`acquire`); the API waits in the event loop (:meth:`acquire_async`), so requests
    queued for a slot hold no worker thread. Waiters of both kinds are served in arrival order:
    a freed slot is handed to the longest waiter, except that one client (an API caller's
    address) holds at most half the slots (at least one), so that it cannot take them all;
    its further requests wait while others' pass them.
    """

    def __init__(self, slots: int, timeout_s: float = SLOT_TIMEOUT_S) -> None:
        self.slots = max(1, slots)
        self.per_client = max(1, self.slots // 2)
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._free = self.slots
        self._held: dict[str, int] = {}  # slots held per named client
        self._waiters: deque[_Waiter] = deque()

    @property
    def waiting(self) -> int:
        """Requests waiting for a slot now."""
        with self._lock:
            return len(self._waiters)

    def acquire(self, timeout_s: float | None = None, client: str | None = None) -> bool:
        """Wait in this thread, up to ``timeout_s`` (default ``self.timeout_s``)."""
        woken = threading.Event()
        waiter = self._enqueue(woken.set, client)
        if waiter is None:
            return True
        woken.wait(self.timeout_s if timeout_s is None else timeout_s)
        return self._settle(waiter)

    async def acquire_async(
        self, timeout_s: float | None = None, client: str | None = None
    ) -> bool:
        """:meth:`acquire` for the event loop: waiting costs a future, not a thread."""
        loop = asyncio.get_running_loop()
        woken = asyncio.Event()
        waiter = self._enqueue(lambda: loop.call_soon_threadsafe(woken.set), client)
        if waiter is None:
            return True
        try:
            async with asyncio.timeout(self.timeout_s if timeout_s is None else timeout_s):
                await woken.wait()
        except TimeoutError:
            pass
        except BaseException:  # cancelled: a slot handed over meanwhile goes to the next one
            if self._settle(waiter):
                self.release(client)
            raise
        return self._settle(waiter)

    def release(self, client: str | None = None) -> None:
        """Give back a slot taken for ``client`` (the same name it was acquired with)."""
        with self._lock:
            if self._free >= self.slots:
                raise ValueError("AnswerSlots released more often than acquired")
            self._free += 1
            if client is not None:
                self._held[client] -= 1
                if not self._held[client]:
                    del self._held[client]
            self._hand_over()

    def _may_run(self, client: str | None) -> bool:
        return client is None or self._held.get(client, 0) < self.per_client

    def _take(self, client: str | None) -> None:
        self._free -= 1
        if client is not None:
            self._held[client] = self._held.get(client, 0) + 1

    def _hand_over(self) -> None:
        """Free slots to the longest waiters that may run (under the lock)."""
        for waiter in list(self._waiters):
            if not self._free:
                return
            if not self._may_run(waiter.client):
                continue
            self._waiters.remove(waiter)
            try:
                waiter.wake()
            except RuntimeError:  # its event loop is closed: nobody to hand it to
                continue
            waiter.granted = True
            self._take(waiter.client)

    def _enqueue(self, wake: Callable[[], object], client: str | None) -> _Waiter | None:
        """Take a free slot (None), or queue up to be handed one."""
        with self._lock:
            if self._free and self._may_run(client):
                self._take(client)
                return None
            waiter = _Waiter(wake, client)
            self._waiters.append(waiter)
            return waiter

    def _settle(self, waiter: _Waiter) -> bool:
        """After waking or giving up: whether the slot was handed over; if not, stop waiting."""
        with self._lock:
            if not waiter.granted and waiter in self._waiters:
                self._waiters.remove(waiter)
            return waiter.granted

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a slot for the ``with`` block; raises :class:`Busy` when none frees up."""
        if not self.acquire():
            raise Busy(self.timeout_s)
        try:
            yield
        finally:
            self.release()

    @asynccontextmanager
    async def slot_async(self, client: str | None = None) -> AsyncIterator[None]:
        """:meth:`slot` for the event loop."""
        if not await self.acquire_async(client=client):
            raise Busy(self.timeout_s)
        try:
            yield
        finally:
            self.release(client)


class ClientQuota:
    """How much work each client has under way (running or waiting), in answers; a request
    that would take a client over ``units`` is refused (:class:`TooMany`) instead of queued,
    unless the client has nothing under way (a big matrix alone is fine)."""

    def __init__(self, units: int = CLIENT_UNITS) -> None:
        self.units = units
        self._lock = threading.Lock()
        self._under_way: dict[str, int] = {}

    def take(self, client: str, weight: int) -> None:
        with self._lock:
            have = self._under_way.get(client, 0)
            if have and have + weight > self.units:
                raise TooMany(self.units)
            self._under_way[client] = have + weight

    def give_back(self, client: str, weight: int) -> None:
        with self._lock:
            left = self._under_way.get(client, 0) - weight
            if left > 0:
                self._under_way[client] = left
            else:
                self._under_way.pop(client, None)

    @contextmanager
    def admit(self, client: str, weight: int = 1) -> Iterator[None]:
        self.take(client, weight)
        try:
            yield
        finally:
            self.give_back(client, weight)


@dataclass(eq=False)
class _Waiter:
    """One request in the queue for a slot; ``granted`` once a released slot was handed to
    it (set under the slots' lock)."""

    wake: Callable[[], object]
    client: str | None = None
    granted: bool = False


class Busy(CodedError, RuntimeError):
    """No answer slot came free in time."""

    kind = "busy"  # how the faces report it (core.errors.KINDS)
    code = "busy"

    def __init__(self, waited_s: float) -> None:
        super().__init__(waited_s=round(waited_s))


class TooMany(CodedError, RuntimeError):
    """One client asked for more work at once than :class:`ClientQuota` allows."""

    kind = "too_many"  # how the faces report it (core.errors.KINDS)
    code = "too_many_requests"

    def __init__(self, units: int) -> None:
        super().__init__(n=units)
