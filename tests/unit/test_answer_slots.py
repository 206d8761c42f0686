"""The answer slots shared by the chat page (which waits in threads) and the API (which waits
in the event loop): one bound, first come first served, and no slot lost when a waiter gives
up or is cancelled."""

from __future__ import annotations

import asyncio
import threading

import pytest

from assistant.serve.slots import AnswerSlots


async def _until(condition: object, seconds: float = 5.0) -> None:
    """Poll ``condition()`` in the event loop until it holds (bounded)."""
    async with asyncio.timeout(seconds):
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.005)


def test_threads_and_coroutines_share_one_bound_in_arrival_order() -> None:
    slots = AnswerSlots(1, timeout_s=10)
    served: list[str] = []

    def chat_page() -> None:
        assert slots.acquire()
        served.append("chat")
        slots.release()

    async def api(name: str) -> None:
        assert await slots.acquire_async()
        served.append(name)
        slots.release()

    async def main() -> None:
        assert await slots.acquire_async()  # a long answer holds the only slot
        first = asyncio.create_task(api("api-1"))
        await _until(lambda: slots.waiting == 1)
        thread = threading.Thread(target=chat_page)
        thread.start()
        await _until(lambda: slots.waiting == 2)
        second = asyncio.create_task(api("api-2"))
        await _until(lambda: slots.waiting == 3)
        assert not served
        slots.release()
        await asyncio.gather(first, second)
        await asyncio.to_thread(thread.join, 5)

    asyncio.run(main())
    assert served == ["api-1", "chat", "api-2"]
    assert slots.acquire(timeout_s=0)  # the one slot is free again, and there is only one
    assert not slots.acquire(timeout_s=0)


def test_a_waiter_that_gives_up_or_is_cancelled_keeps_no_slot() -> None:
    slots = AnswerSlots(1, timeout_s=10)

    async def main() -> None:
        assert await slots.acquire_async()
        assert not await slots.acquire_async(timeout_s=0.05)
        assert not await asyncio.to_thread(slots.acquire, 0.05)
        assert slots.waiting == 0
        waiter = asyncio.create_task(slots.acquire_async())
        await _until(lambda: slots.waiting == 1)
        # The client goes away just as the slot is handed to it: it passes the slot on.
        waiter.cancel()
        slots.release()
        with pytest.raises(asyncio.CancelledError):
            await waiter

    asyncio.run(main())
    assert slots.waiting == 0 and slots.acquire(timeout_s=0)
    slots.release()
    with pytest.raises(ValueError):
        slots.release()


def test_one_client_holds_at_most_half_the_slots_and_others_pass_its_waiters() -> None:
    slots = AnswerSlots(2, timeout_s=10)

    async def main() -> None:
        assert await slots.acquire_async(client="a")
        second = asyncio.create_task(slots.acquire_async(client="a"))
        await _until(lambda: slots.waiting == 1)  # a slot is free, but not for "a"
        assert await slots.acquire_async(timeout_s=0, client="b")  # "b" passes it
        slots.release("b")
        await asyncio.sleep(0.05)
        assert not second.done()  # the freed slot is still not for "a"
        assert slots.acquire(timeout_s=0)  # the chat page (no client name) may take it
        slots.release()
        slots.release("a")
        assert await second  # its first slot back: now it may
        slots.release("a")

    asyncio.run(main())
    assert slots.waiting == 0
    assert slots.acquire(timeout_s=0) and slots.acquire(timeout_s=0)
    assert not slots.acquire(timeout_s=0)


def test_a_client_quota_weighs_requests_and_admits_a_big_one_alone() -> None:
    from assistant.serve.slots import ClientQuota, TooMany

    quota = ClientQuota(units=8)
    quota.take("a", 40)  # a 40-topic matrix, with nothing else under way
    with pytest.raises(TooMany, match="under way"):
        quota.take("a", 1)
    quota.take("b", 8)  # other clients have their own quota
    quota.give_back("a", 40)
    with quota.admit("a", 5):
        quota.take("a", 3)
        with pytest.raises(TooMany):
            quota.take("a", 1)
        quota.give_back("a", 3)
    quota.take("a", 8)
