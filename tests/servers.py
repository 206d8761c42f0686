"""Real servers in subprocesses for the tests: started on a free loopback port, ready when a
URL answers, always stopped, their log shown when they fail. Every wait is bounded."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.core.settings import Settings

#: The output file of every server started in this test session, and how many of its bytes
#: were checked already (tests/browser/conftest.py fails a test whose server warned).
SERVER_LOGS: dict[Path, int] = {}
#: The output file of each chat server by its URL (a test reads what its server printed).
LOG_OF: dict[str, Path] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-chars:] if path.exists() else ""


def answers(url: str) -> bool:
    """Whether ``url`` answers a GET with 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def server_process(
    command: Sequence[str],
    ready_url: str,
    log_path: Path,
    *,
    seconds: float = 120,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` until the block ends; the block starts once ``ready_url`` answers."""
    SERVER_LOGS.setdefault(log_path, 0)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            list(command),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None,
            cwd=cwd,
        )
        try:
            deadline = time.monotonic() + seconds
            while not answers(ready_url):
                if proc.poll() is not None:
                    pytest.fail(f"{command[0]} exited ({proc.returncode}):\n{tail(log_path)}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{command[0]} not ready in {seconds:.0f} s:\n{tail(log_path)}")
                time.sleep(0.25)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:  # a request still running ignores SIGTERM
                proc.kill()
                proc.wait(timeout=15)


@contextmanager
def chat_server(settings: Settings, **env: str) -> Iterator[str]:
    """``jeugdakkoord chat`` (page + API) on ``settings``' corpus and index; yields its URL."""
    port = free_port()
    environ = {
        k: v for k, v in os.environ.items() if k not in ("JEUGDAKKOORD_AUTH", "JEUGDAKKOORD_HOST")
    }
    environ["JEUGDAKKOORD_CORPUS"] = os.pathsep.join(str(d) for d in settings.corpus_dirs)
    environ.update(env)
    url = f"http://127.0.0.1:{port}/"
    command = [
        *(sys.executable, "-m", "assistant.cli", "chat"),
        *("--port", str(port), "--index", str(settings.index_dir)),
    ]
    log = settings.index_dir.parent / f"chat-{port}.log"
    LOG_OF[url] = log
    with server_process(command, url, log, env=environ, cwd=settings.index_dir.parent):
        yield url
