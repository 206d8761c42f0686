"""A language model server that dies while answering: the user is told that the server
*failed*, not that it cannot be reached and should be started.

The server is a real process (``tests/dying_llm_server.py``, OpenAI-compatible) killed at a
chosen moment: while it works on the prompt (before any answer; openai's retry then finds
the port closed) and half-way through a streamed answer.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.answering.llm import generate_validated
from assistant.core.types import Chunk
from assistant.providers.generators import GeneratorError, Source
from assistant.providers.generators.openai_compat import OpenAICompatGenerator
from tests.servers import free_port, server_process

SOURCES = [Source(1, Chunk("c1", "d", "Wij stoppen met marktwerking.", "T", "paragraph"))]


def _wait_for(log: Path, text: str) -> None:
    deadline = time.monotonic() + 60
    while text not in log.read_text():
        assert time.monotonic() < deadline, f"the server never logged {text!r}"
        time.sleep(0.02)


@pytest.mark.parametrize("mode", ["think", "stream"])
def test_a_server_killed_mid_request_is_reported_as_failed(tmp_path: Path, mode: str) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "tests.dying_llm_server", str(port), mode]
    with server_process(command, f"{url}/models", log, seconds=30) as proc:
        tokens = OpenAICompatGenerator(base_url=url, timeout=30).stream("Vraag?", SOURCES, "nl")
        with pytest.raises(GeneratorError) as failure:
            if mode == "think":  # dies while working on the prompt: no answer at all
                killer = threading.Thread(target=lambda: (_wait_for(log, "received"), proc.kill()))
                killer.start()
                list(tokens)
            else:  # dies half-way through its streamed answer
                assert next(tokens).startswith("woord")
                proc.kill()
                list(tokens)
        assert proc.wait(timeout=30) is not None  # it really died
    message = str(failure.value)
    assert message.startswith(f"the language model server at {url} failed"), message
    assert "cannot reach" not in message and "start it" not in message


def test_the_user_notice_says_the_server_failed(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "tests.dying_llm_server", str(port), "stream"]
    with server_process(command, f"{url}/models", log, seconds=30) as proc:
        streamed: list[str] = []

        def on_token(token: str) -> None:
            streamed.append(token)
            if len(streamed) == 2:
                proc.kill()  # dies half-way through its answer

        result, notice = generate_validated(
            OpenAICompatGenerator(base_url=url, timeout=30), "Vraag?", SOURCES, "nl",
            on_token=on_token,
        )  # fmt: skip
    assert not result.ok and len(streamed) >= 2
    failed = f"the language model server at {url} failed"
    assert notice.startswith(f"Het taalmodel is niet beschikbaar ({failed}"), notice
    assert "start it" not in notice
