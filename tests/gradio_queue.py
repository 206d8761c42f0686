"""Gradio's own HTTP protocol, spoken by the tests as a browser (or an attacker) would:
``/config``, ``/gradio_api/upload``, ``/gradio_api/queue/join`` and the SSE stream of
``/gradio_api/queue/data``. Every wait is bounded."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx


def event_of(url: str, elem_id: str, trigger: str) -> tuple[int, int]:
    """``(fn_index, trigger_id)`` of the ``trigger`` event of the component ``#elem_id``."""
    config = httpx.get(url + "config", timeout=30).raise_for_status().json()
    ids = [c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id]
    assert len(ids) == 1, f"no single component #{elem_id}"
    for index, dep in enumerate(config["dependencies"]):
        if [ids[0], trigger] in dep["targets"]:
            return dep.get("id", index), ids[0]
    raise AssertionError(f"#{elem_id} has no {trigger} event")


def upload(url: str, *paths: Path) -> list[str]:
    """Send files through Gradio's upload route; returns the server paths it stored them at."""
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    response = httpx.post(url + "gradio_api/upload", files=files, timeout=60)
    return list(response.raise_for_status().json())


def file_data(path: str, name: str) -> dict[str, Any]:
    """A ``FileData`` payload, as the browser sends one for an uploaded file."""
    return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}


def run_event(
    url: str, fn_index: int, trigger_id: int, data: list[Any], seconds: float = 180
) -> dict[str, Any]:
    """Join the queue with ``data`` and read the event's messages until it completes; returns
    the ``process_completed`` message (``success`` and ``output``), or, when the server
    refuses to queue the event, ``{"success": False, "status": ..., "output": body}``."""
    session = uuid.uuid4().hex[:11]
    joined = httpx.post(
        url + "gradio_api/queue/join",
        json={
            "data": data,
            "fn_index": fn_index,
            "trigger_id": trigger_id,
            "session_hash": session,
            "event_data": None,
        },
        timeout=30,
    )
    if joined.status_code != 200:
        return {"success": False, "status": joined.status_code, "output": joined.text}
    with httpx.stream(
        "GET", url + "gradio_api/queue/data", params={"session_hash": session}, timeout=seconds
    ) as stream:
        for line in stream.iter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            if message.get("msg") == "process_completed":
                return dict(message)
    raise AssertionError("the event stream ended without process_completed")
