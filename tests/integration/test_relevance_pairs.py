"""The relevance model at run time reads pairs without transformers and its 250k-piece
tokenizer: the same ids as the Hugging Face tokenizer the model was trained with, the same
logits as the training network, on real questions and passages of the corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from assistant.providers.embeddings.e5_convert import default_cache_dir, ensure_model
from assistant.providers.rerankers.relevance import model as training
from assistant.providers.rerankers.relevance.network import (
    WORDS_FILE,
    FileRows,
    half_table,
    load_scorer,
    word_table,
)
from assistant.providers.rerankers.relevance.pairs import PairTokenizer
from assistant.providers.rerankers.relevance.shipped import MANIFEST, WEIGHTS, WEIGHTS_DIR
from assistant.retrieval.retriever import Retriever

pytestmark = pytest.mark.slow  # converts e5-small on a fresh machine

DATASETS = Path(__file__).resolve().parents[2] / "evals" / "datasets"


@pytest.fixture(scope="module")
def base() -> Path:
    return ensure_model(default_cache_dir())


@pytest.fixture(scope="module")
def questions() -> list[str]:
    found = [
        json.loads(line)["question"]
        for name in ("questions.jsonl", "unseen.jsonl")
        for line in (DATASETS / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    pasted = " ".join(found[:40])  # a pasted paragraph: cut to the model's share
    return [*found[::3], pasted, "?", "ëï € 3½ — ‘quotes’ \t tabs"]


@pytest.fixture(scope="module")
def passages(retriever: Retriever) -> list[str]:
    """Every passage of the corpus and its sentences, and an empty one."""
    chunks = retriever.snapshot().chunks
    sentences = [c.text[a:b] for c in chunks for a, b in c.sentence_spans()]
    return [c.text for c in chunks] + sentences[::4] + [""]


def test_the_pair_ids_are_the_hugging_face_tokenizers(
    base: Path, questions: list[str], passages: list[str]
) -> None:
    hf = training.tokenizer(base)
    ours = PairTokenizer(base / "tokenizer.json")
    for q in questions:
        assert ours.cut_query(q) == training.cut_query(hf, q), q[:60]
    compared = 0
    for width in (160, 96, 512):
        for at in range(0, len(passages), 37):
            q = questions[at % len(questions)]
            part = passages[at : at + 8]
            want = training.encode(hf, [q] * len(part), part, width)
            ids, mask = ours.encode([q] * len(part), part, width)
            assert torch.equal(ids, want["input_ids"]) and torch.equal(mask, want["attention_mask"])
            compared += len(part)
    assert compared > 300


def test_the_run_time_network_gives_the_training_networks_logits(
    base: Path, questions: list[str], passages: list[str]
) -> None:
    manifest = json.loads((WEIGHTS_DIR / MANIFEST).read_text(encoding="utf-8"))
    trained = load_file(str(WEIGHTS_DIR / WEIGHTS))
    interaction = bool(manifest.get("interaction"))
    reference = training.build(base, int(manifest["layers"]), interaction)
    training.load_trained(reference, trained)
    reference.eval()
    run_time = load_scorer(base, trained, interaction)
    tok = PairTokenizer(base / "tokenizer.json")
    # a short and a middling question, the pasted paragraph, a bare "?" and odd characters
    picked = [questions[0], questions[len(questions) // 2], *questions[-3:]]
    with torch.inference_mode():
        for n, q in enumerate(picked):
            part = passages[n * 97 : n * 97 + 16]  # passages and sentences, spread out
            ids, mask = tok.encode([q] * len(part), part, int(manifest["max_length"]))
            assert torch.allclose(run_time(ids, mask), reference(ids, mask), atol=1e-5)


def test_the_model_loads_without_transformers() -> None:
    code = (
        "import sys\n"
        "from assistant.providers.rerankers import get_reranker\n"
        "from assistant.core.settings import Settings\n"
        "r = get_reranker('relevance', Settings.from_env())\n"
        "assert r is not None and len(r.score('Hoeveel fte?', ['3 fte per team', ''])) == 2\n"
        "print('transformers' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"], done.stderr[-2000:]


def test_a_damaged_word_table_is_refused_not_misread(base: Path, tmp_path: Path) -> None:
    source = (base / "model.safetensors").read_bytes()
    size = int.from_bytes(source[:8], "little")
    cut = tmp_path / "cut.safetensors"
    cut.write_bytes(source[: 8 + size + 1000])
    with pytest.raises(ValueError, match="truncated"):
        half_table(cut, "embeddings.word_embeddings.weight")
    with pytest.raises(ValueError, match="not a 2-d fp32 table"):
        half_table(base / "model.safetensors", "embeddings.LayerNorm.weight")
    table = half_table(base / "model.safetensors", "embeddings.word_embeddings.weight")
    assert table.dtype == torch.float16 and table.shape[1] == 384


def test_the_word_table_is_read_from_a_file_derived_once(base: Path, tmp_path: Path) -> None:
    words = "embeddings.word_embeddings.weight"
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.safetensors").symlink_to(base / "model.safetensors")
    table = half_table(base / "model.safetensors", words)
    rows = word_table(folder / "model.safetensors", words)
    assert isinstance(rows, FileRows) and (rows.rows, rows.cols) == tuple(table.shape)
    ids = torch.tensor([[0, 5, 250_000, 5], [17, 17, 2, 1]])
    assert torch.equal(rows(ids), table[ids].float())  # the same rows, repeats included
    derived = folder / WORDS_FILE
    stamp = derived.stat().st_mtime_ns
    word_table(folder / "model.safetensors", words)
    assert derived.stat().st_mtime_ns == stamp  # reused, not written again
    with pytest.raises(IndexError, match="outside the word table"):
        rows(torch.tensor([[len(table)]]))
    damaged = folder / "damaged"
    damaged.write_bytes(derived.read_bytes()[:1000])
    damaged.replace(derived)  # a file of the wrong size is rebuilt, not misread
    rebuilt = word_table(folder / "model.safetensors", words)
    assert isinstance(rebuilt, FileRows) and torch.equal(rebuilt(ids), table[ids].float())
    assert torch.equal(rows(ids), table[ids].float())  # the open one still reads its file
    cut = folder / "cut.bin"
    cut.write_bytes(b"half a row")
    short = FileRows(cut, len(table), table.shape[1])
    with pytest.raises(ValueError, match="truncated"):
        short(ids)
    derived.unlink()
    derived.mkdir()  # a place that cannot take the file (as a read-only cache): in memory
    in_memory = word_table(folder / "model.safetensors", words)
    assert isinstance(in_memory, torch.Tensor) and torch.equal(in_memory, table)
    assert not list(folder.glob("*.tmp"))
