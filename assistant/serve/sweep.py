"""Leftovers in Gradio's upload folder: the parts of uploads that never completed.

Gradio deletes the files its upload route stored once they are ``upload_ttl_s`` old (its
``delete_cache``, set in :func:`assistant.server.build_server`). An upload cut off
midway (its client left, or :class:`assistant.serve.limits.BodyLimit` stopped it) leaves its
spool file (``tmp*``) at the top of the folder, which Gradio never registered; this sweep
deletes those, and the empty folders Gradio's own sweep leaves, once they are as old.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path


def sweep_uploads(folder: Path, ttl_s: float, now: float | None = None) -> int:
    """Delete spool files and empty folders directly in ``folder`` older than ``ttl_s``;
    how many were deleted."""
    now = time.time() if now is None else now
    deleted = 0
    with contextlib.suppress(OSError):
        for entry in list(folder.iterdir()):
            with contextlib.suppress(OSError):
                old = entry.lstat().st_mtime < now - ttl_s
                if old and entry.is_file() and entry.name.startswith("tmp"):
                    entry.unlink()
                    deleted += 1
                elif old and entry.is_dir() and not any(entry.iterdir()):
                    entry.rmdir()
                    deleted += 1
    return deleted


async def keep_sweeping(folder: Path, ttl_s: float) -> None:
    """Sweep every ``ttl_s / 2`` seconds (at most every 10 minutes) until cancelled."""
    while True:
        await asyncio.sleep(max(1.0, min(600.0, ttl_s / 2)))
        await asyncio.to_thread(sweep_uploads, folder, ttl_s)
