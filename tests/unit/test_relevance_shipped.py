"""The relevance model's weights are checked before use: a missing or corrupted file, or no
torch, gives one line naming the file, the expected hash and ``make train-relevance``; and its
calibration and threshold are fitted on dev documents only."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from assistant.providers.rerankers import relevance
from assistant.providers.rerankers.relevance import shipped
from assistant.providers.rerankers.relevance.calibration import (
    Calibration,
    ScoredPair,
    auc,
    choose_threshold,
    fit_platt,
)


def _folder(tmp_path: Path, payload: bytes = b"weights") -> Path:
    (tmp_path / shipped.WEIGHTS).write_bytes(payload)
    manifest = {"file": shipped.WEIGHTS, "sha256": hashlib.sha256(payload).hexdigest(), "layers": 4}
    (tmp_path / shipped.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_intact_weights_pass_the_check(tmp_path: Path) -> None:
    manifest, status = shipped.check(_folder(tmp_path))
    assert status.ok and manifest is not None and "4 layers" in status.message


def test_a_corrupted_file_is_refused_with_its_name_hash_and_the_fix(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    expected = hashlib.sha256(b"weights").hexdigest()
    (folder / shipped.WEIGHTS).write_bytes(b"weightz")
    model, status = relevance.load(folder)
    assert model is None and not status.ok
    assert str(folder / shipped.WEIGHTS) in status.message
    assert expected in status.message and "make train-relevance" in status.message
    assert "corrupted" in status.message and "\n" not in status.message


def test_a_missing_file_or_manifest_is_reported_in_one_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / shipped.WEIGHTS).unlink()
    _, status = shipped.check(folder)
    assert not status.ok and "is missing" in status.message
    assert hashlib.sha256(b"weights").hexdigest() in status.message
    (folder / shipped.MANIFEST).unlink()
    _, status = shipped.check(folder)
    assert not status.ok and str(folder / shipped.MANIFEST) in status.message
    assert "make train-relevance" in status.message


def test_without_torch_the_model_falls_back_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shipped.find_spec
    monkeypatch.setattr(shipped, "find_spec", lambda m: None if m == "torch" else real(m))
    model, status = relevance.load(_folder(tmp_path))
    assert model is None and not status.ok
    assert "torch" in status.message and "falling back to the rules" in status.message


def _pairs(docs: list[str]) -> list[ScoredPair]:
    return [
        ScoredPair(doc, logit, label)
        for doc in docs
        for logit, label in ((2.0, 1), (1.0, 1), (0.5, 0), (-1.0, 0), (0.8, 1), (-0.2, 0))
    ]


def test_calibration_and_threshold_refuse_pairs_from_non_dev_documents() -> None:
    dev = {"law:a", "law:b"}
    with pytest.raises(ValueError, match=r"dev pairs only.*law:train-doc"):
        fit_platt(_pairs(["law:a", "law:train-doc"]), dev)
    with pytest.raises(ValueError, match="dev pairs only"):
        choose_threshold(_pairs(["law:train-doc"]), dev, Calibration())


def test_platt_scaling_orders_and_calibrates_dev_scores() -> None:
    pairs = _pairs(["law:a", "law:b"])
    cal = fit_platt(pairs, {"law:a", "law:b"})
    assert cal.a > 0  # higher logit, higher probability
    probs = [cal.probability(p.logit) for p in pairs]
    assert all(0 < p < 1 for p in probs)
    # calibrated: the mean probability is close to the share of positives
    assert abs(sum(probs) / len(probs) - 0.5) < 0.05
    threshold = choose_threshold(pairs, {"law:a", "law:b"}, cal)
    positives = [cal.probability(p.logit) for p in pairs if p.label == 1]
    assert sum(p < threshold for p in positives) <= 0.05 * len(positives)


def test_auc_counts_ordered_pairs_and_ties_half() -> None:
    assert auc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]) == 1.0
    assert auc([0.1, 0.9], [1, 0]) == 0.0
    assert auc([0.5, 0.5], [1, 0]) == 0.5


def test_models_lists_the_relevance_model_and_what_it_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.providers.catalog import catalog

    monkeypatch.setattr(relevance, "check", lambda: shipped.check(tmp_path))  # no weights yet
    entry = next(e for e in catalog() if e.kind == "reranker" and e.name.startswith("relevance"))
    assert entry.name == "relevance[:<weights folder>]" and not entry.available
    assert "make train-relevance" in entry.needs
    _folder(tmp_path)
    entry = next(e for e in catalog() if e.kind == "reranker" and e.name.startswith("relevance"))
    assert entry.available


def test_platt_scaling_stays_finite_on_widely_spread_logits() -> None:
    """Raw logits spanning hundreds overflowed plain Newton steps (a = 4.9e6 on the first real
    run); the fit on standardised logits stays finite and ordered."""
    pairs = [ScoredPair("d", 300.0 * (i % 7) - 900.0 + (600.0 if i % 2 else 0.0), i % 2)
             for i in range(400)]  # fmt: skip
    cal = fit_platt(pairs, {"d"})
    assert 0 < cal.a < 1 and abs(cal.b) < 100
    assert cal.probability(900.0) > 0.5 > cal.probability(-900.0)
