"""Turning the network's logits into probabilities, and the refusal threshold, fitted on the
dev documents only (numpy; no torch needed).

Platt scaling: ``p = sigmoid(a * logit + b)``, with ``a`` and ``b`` fitted by logistic
regression on dev pairs. Fitting it on training pairs would make the model look surer than it
is on documents it never saw, so :func:`fit_platt` refuses any pair from a document outside
the dev set it is given.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ScoredPair:
    """One dev pair after the network: the document it came from, its logit, its label."""

    doc_id: str
    logit: float
    label: int


@dataclass(frozen=True)
class Calibration:
    a: float = 1.0
    b: float = 0.0

    def probability(self, logit: float) -> float:
        z = self.a * logit + self.b
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _dev_only(pairs: Sequence[ScoredPair], dev_docs: Collection[str]) -> None:
    outside = sorted({p.doc_id for p in pairs if p.doc_id not in dev_docs})
    if outside:
        raise ValueError(f"calibration takes dev pairs only; from other documents: {outside[:5]}")
    labels = {p.label for p in pairs}
    if labels != {0, 1}:
        raise ValueError(f"calibration needs positive and negative dev pairs, got {labels}")


def _log_loss(design: np.ndarray, t: np.ndarray, w: np.ndarray, l2: float) -> float:
    z = design @ w
    # log(1 + e^z) - t z, computed without overflow
    return float((np.logaddexp(0.0, z) - t * z).sum() + 0.5 * l2 * (w @ w))


def fit_platt(
    pairs: Sequence[ScoredPair], dev_docs: Collection[str], l2: float = 1e-3
) -> Calibration:
    """Platt's ``a`` and ``b`` by damped Newton steps on the (slightly regularised) log loss,
    on standardised logits (raw ones can span hundreds, which overflowed plain Newton)."""
    _dev_only(pairs, dev_docs)
    raw = np.array([p.logit for p in pairs], dtype=np.float64)
    mean, std = float(raw.mean()), float(raw.std()) or 1.0
    x = (raw - mean) / std
    y = np.array([p.label for p in pairs], dtype=np.float64)
    # Platt's smoothed targets keep a separable dev set from driving ``a`` to infinity.
    pos, neg = y.sum(), len(y) - y.sum()
    t = np.where(y == 1, (pos + 1) / (pos + 2), 1 / (neg + 2))
    w = np.array([1.0, 0.0])
    design = np.stack([x, np.ones_like(x)], axis=1)
    loss = _log_loss(design, t, w, l2)
    for _ in range(100):
        p = 0.5 * (1 + np.tanh(0.5 * (design @ w)))  # the sigmoid, without overflow
        grad = design.T @ (p - t) + l2 * w
        hess = design.T @ (design * (p * (1 - p))[:, None]) + l2 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        scale = 1.0
        while scale > 1e-4 and _log_loss(design, t, w - scale * step, l2) > loss:
            scale /= 2
        w = w - scale * step
        new_loss = _log_loss(design, t, w, l2)
        if loss - new_loss < 1e-10:
            break
        loss = new_loss
    return Calibration(float(w[0] / std), float(w[1] - w[0] * mean / std))


def choose_threshold(
    pairs: Sequence[ScoredPair],
    dev_docs: Collection[str],
    calibration: Calibration,
    max_declined: float = 0.05,
) -> float:
    """The highest probability threshold that still accepts all but ``max_declined`` of the
    dev positives (answerable questions declined <= 5%, the issue's target)."""
    _dev_only(pairs, dev_docs)
    probs = sorted(calibration.probability(p.logit) for p in pairs if p.label == 1)
    k = math.floor(max_declined * len(probs))
    return probs[k]


def auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the ROC curve: how often a positive scores above a negative (ties: half)."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels)
    order = s.argsort(kind="mergesort")
    ranks = np.empty(len(s), dtype=np.float64)
    sorted_s = s[order]
    i = 0
    while i < len(s):  # average ranks over ties
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = int((y == 1).sum())
    neg = len(y) - pos
    if not pos or not neg:
        raise ValueError("AUC needs positives and negatives")
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))
