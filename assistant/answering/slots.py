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


class AnswerSlots:
    """How many answers may be computed at once (a bounded semaphore with a waiting limit).

    Shared by the chat page and the API so that, together, they never ask more of the CPU
    than ``JEUGDAKKOORD_WORKERS`` answers at a time. The chat page waits in its own threads
    (:meth:`acquire`); the API waits in the event loop (:meth:`acquire_async`), so requests
    queued for a slot hold no worker thread. Waiters of both kinds are served in arrival order:
    a freed slot is handed to the longest waiter.
    """

    def __init__(self, slots: int, timeout_s: float = SLOT_TIMEOUT_S) -> None:
        self.slots = max(1, slots)
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._free = self.slots  # > 0 only while nobody waits
        self._waiters: deque[_Waiter] = deque()

    @property
    def waiting(self) -> int:
        """Requests waiting for a slot now."""
        with self._lock:
            return len(self._waiters)

    def acquire(self, timeout_s: float | None = None) -> bool:
        """Wait in this thread, up to ``timeout_s`` (default ``self.timeout_s``)."""
        woken = threading.Event()
        waiter = self._enqueue(woken.set)
        if waiter is None:
            return True
        woken.wait(self.timeout_s if timeout_s is None else timeout_s)
        return self._settle(waiter)

    async def acquire_async(self, timeout_s: float | None = None) -> bool:
        """:meth:`acquire` for the event loop: waiting costs a future, not a thread."""
        loop = asyncio.get_running_loop()
        woken = asyncio.Event()
        waiter = self._enqueue(lambda: loop.call_soon_threadsafe(woken.set))
        if waiter is None:
            return True
        try:
            async with asyncio.timeout(self.timeout_s if timeout_s is None else timeout_s):
                await woken.wait()
        except TimeoutError:
            pass
        except BaseException:  # cancelled: a slot handed over meanwhile goes to the next one
            if self._settle(waiter):
                self.release()
            raise
        return self._settle(waiter)

    def release(self) -> None:
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                try:
                    waiter.wake()
                except RuntimeError:  # its event loop is closed: nobody to hand it to
                    continue
                waiter.granted = True
                return
            if self._free >= self.slots:
                raise ValueError("AnswerSlots released more often than acquired")
            self._free += 1

    def _enqueue(self, wake: Callable[[], object]) -> _Waiter | None:
        """Take a free slot (None), or queue up to be handed one."""
        with self._lock:
            if self._free:
                self._free -= 1
                return None
            waiter = _Waiter(wake)
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
    async def slot_async(self) -> AsyncIterator[None]:
        """:meth:`slot` for the event loop."""
        if not await self.acquire_async():
            raise Busy(self.timeout_s)
        try:
            yield
        finally:
            self.release()


@dataclass(eq=False)
class _Waiter:
    """One request in the queue for a slot; ``granted`` once :meth:`AnswerSlots.release`
    handed it one (set under the slots' lock)."""

    wake: Callable[[], object]
    granted: bool = False


class Busy(CodedError, RuntimeError):
    """No answer slot came free in time."""

    code = "busy"

    def __init__(self, waited_s: float) -> None:
        super().__init__(waited_s=round(waited_s))
