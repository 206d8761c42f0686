"""A tiny real training of the relevance model: pairs built from the synthetic municipal
texts, two steps of one layer on the converted e5-small, calibration on dev only, written to a
temporary folder, loaded through the reranker registry and scored; a run continued from it
starts from its weights; then the same folder with a flipped byte is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.providers.rerankers import RerankError, get_reranker
from assistant.providers.rerankers import relevance as rel
from assistant.providers.rerankers.relevance.shipped import MANIFEST, WEIGHTS
from evals.relevance import train as train_mod
from evals.relevance.build import build, write
from evals.relevance.sources import own_documents
from evals.relevance.split import split_of

pytestmark = pytest.mark.slow  # converts e5-small on a fresh machine


def test_tiny_training_writes_weights_that_load_and_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = list(own_documents())
    seed = next(s for s in range(100) if len({split_of(d.doc_id, s, 0.5) for d in docs}) == 2)
    pairs, ids = build(docs, seed=seed, dev_fraction=0.5, per_doc=20)
    write(tmp_path / "pairs", pairs, ids, {"seed": seed, "sources": ["test"]})

    seen: list[str] = []
    real_fit = train_mod.fit_platt

    def spy(scored, dev_docs):  # type: ignore[no-untyped-def]
        seen.extend(p.doc_id for p in scored)
        return real_fit(scored, dev_docs)

    monkeypatch.setattr(train_mod, "fit_platt", spy)
    out = tmp_path / "weights"
    manifest = train_mod.train(
        tmp_path / "pairs", out, layers=1, steps=2, batch=4, max_length=64, dev_limit=40
    )
    assert seen and set(seen) <= set(ids["dev"]) and not set(seen) & set(ids["train"])
    assert manifest["layers"] == 1 and manifest["training"]["steps"] == 2
    assert 0 <= manifest["figures"]["dev_auc"] <= 1 and 0 < manifest["threshold"] < 1
    assert manifest["size_bytes"] < 5_000_000  # one fp16 layer and the head, no embeddings
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["sha256"] == manifest["sha256"]

    model, status = rel.load(out)
    assert status.ok and model is not None
    probs = model.probabilities("Welk bedrag is begroot voor de wijkteams?", ["a", "b c"])
    assert len(probs) == 2 and all(0 < p < 1 for p in probs)
    reranker = get_reranker(f"relevance:{out}")
    assert reranker is not None and reranker.model_id == f"relevance:{manifest['sha256'][:12]}"

    # A run continued from these weights starts from them: with a learning rate of 0 it
    # writes the same file (a fresh start would have the base layers).
    again = train_mod.train(
        tmp_path / "pairs", tmp_path / "again", init=out, layers=1, steps=1, batch=4,
        max_length=64, dev_limit=40, lr=0.0, head_lr=0.0,
    )  # fmt: skip
    assert again["sha256"] == manifest["sha256"]
    assert again["training"]["continued_from"]["sha256"] == manifest["sha256"]

    data = bytearray((out / WEIGHTS).read_bytes())
    data[-1] ^= 0xFF
    (out / WEIGHTS).write_bytes(bytes(data))
    model, status = rel.load(out)
    assert model is None and "corrupted" in status.message and manifest["sha256"] in status.message
    with pytest.raises(ValueError, match="corrupted"):  # nor is training continued from it
        train_mod.train(tmp_path / "pairs", tmp_path / "never", init=out, layers=1, steps=1)
    with pytest.raises(RerankError, match="make train-relevance"):
        get_reranker(f"relevance:{out}/")  # another spec: not the cached, intact load
