"""Scale-out: the index in a real ``chroma run`` server; a server that is gone is a clear error."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.providers.stores import StoreError
from assistant.retrieval.retriever import Retriever
from ingest.pipeline import ingest
from tests.conftest import ROOT, small_corpus
from tests.servers import free_port, server_process

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A ``chroma run`` on a free loopback port, up when its heartbeat answers (60 s at most)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        *(str(CHROMA), "run", "--path", str(tmp_path / "chroma-data")),
        *("--host", "127.0.0.1", "--port", str(port)),
    ]
    log = tmp_path / "chroma.log"
    with server_process(command, f"{url}/api/v2/heartbeat", log, seconds=60) as server:
        yield url, server


def test_ingest_search_and_ask_through_a_chroma_server(
    chroma_server: tuple[str, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    url, server = chroma_server
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index", chroma_url=url)
    summary = ingest(settings)
    assert summary.ok and summary.added == 2
    assert not (settings.index_dir / "chroma").exists()  # the vectors live in the server

    retriever = Retriever(settings)
    assert retriever.search("preventie in de wijk")[0].chunk.doc_id == "a"
    answer = Assistant(settings, retriever=retriever).ask(
        "Hoe zorgen scholen dat leerlingen op tijd hulp krijgen?"
    )
    assert not answer.refused and answer.citations[0].doc_id == "b"

    server.terminate()
    server.wait(timeout=30)
    with pytest.raises(StoreError, match=f"Chroma query failed \\({url}\\)"):
        retriever.search("preventie in de wijk")
    index = str(settings.index_dir)
    cli = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "search", "preventie", "--index", index],
        cwd=ROOT,
        env={**os.environ, "JEUGDAKKOORD_CHROMA_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 2
    assert cli.stderr.startswith(f"error: cannot reach the Chroma store at {url}")
    assert cli.stderr.count("\n") == 1 and "Traceback" not in cli.stderr
