"""The relevance model at run time: calibrated probabilities for (question, text) pairs."""

from __future__ import annotations

import ctypes
import json
import threading
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file

from assistant.providers.embeddings.e5_convert import MANIFEST as BASE_MANIFEST
from assistant.providers.embeddings.e5_convert import ModelFileError, ensure_model
from assistant.providers.rerankers.relevance.calibration import Calibration
from assistant.providers.rerankers.relevance.network import Scorer, load_scorer
from assistant.providers.rerankers.relevance.pairs import PairTokenizer
from assistant.providers.rerankers.relevance.shipped import REBUILD, Status, check


class RelevanceModel:
    """Question + passage (or sentence) in, probability that the passage answers out."""

    def __init__(
        self,
        net: Scorer,
        tok: PairTokenizer,
        manifest: dict[str, Any],
        base_source: str,
    ) -> None:
        self._net = net.eval()
        self._tok = tok
        self.manifest = manifest
        self.max_length = int(manifest.get("max_length", 256))
        cal = manifest.get("calibration", {})
        self.calibration = Calibration(float(cal.get("a", 1.0)), float(cal.get("b", 0.0)))
        #: The dev-chosen probability below which "no passage answers" (None: not fitted).
        self.threshold: float | None = manifest.get("threshold")
        chosen = manifest.get("thresholds", {})
        #: Chosen on the dev splits of the question sets (``python -m evals.relevance.
        #: thresholds``): below it the assistant refuses, and a document "does not address"
        #: a topic. The pair-level threshold until they are chosen.
        self.answer_threshold: float | None = chosen.get("answer", self.threshold)
        self.topic_threshold: float | None = chosen.get("topic", self.answer_threshold)
        self.model_id = f"relevance:{manifest['sha256'][:12]}"
        self.base_source = base_source
        self._lock = threading.Lock()  # one forward pass at a time: torch on 2 cores

    def logits(self, query: str, passages: list[str], batch: int = 16) -> list[float]:
        """One logit per passage. Batched by length, so that a batch of short sentences is
        not padded to the one long passage among them (a pair's logit does not depend on
        its batch: padding is masked)."""
        order = sorted(range(len(passages)), key=lambda i: len(passages[i]))
        out = [0.0] * len(passages)
        with self._lock, torch.inference_mode():
            for at in range(0, len(order), batch):
                part = order[at : at + batch]
                texts = [passages[i] for i in part]
                ids, mask = self._tok.encode([query] * len(texts), texts, self.max_length)
                for i, logit in zip(part, self._net(ids, mask).tolist(), strict=True):
                    out[i] = logit
            if _TRIM is not None:
                _TRIM(0)
        return out

    def query_overflow(self, query: str) -> int:
        """How many of the question's tokens the model does not read (its window is shared
        with the passage)."""
        return self._tok.cut_query(query)[1]

    def probabilities(self, query: str, passages: list[str]) -> list[float]:
        return [self.calibration.probability(x) for x in self.logits(query, passages)]


def load(folder: Path, model_dir: Path) -> tuple[RelevanceModel | None, Status]:
    """The model in ``folder`` on top of e5-small converted into ``model_dir``, or None and
    the reason (never an exception for a missing or damaged file)."""
    manifest, status = check(folder)
    if manifest is None or not status.ok:
        return None, status
    try:
        base = ensure_model(model_dir)  # verified against its own manifest
        base_manifest = json.loads((base / BASE_MANIFEST).read_text(encoding="utf-8"))
        base_source = str(base_manifest["source_sha256"])
    except (ModelFileError, OSError, ValueError, KeyError) as exc:
        return None, Status(False, f"{exc}; falling back to the rules")
    trained_on = manifest.get("base_model", {}).get("source_sha256")
    if trained_on != base_source:
        return None, Status(
            False,
            f"relevance model {folder / manifest.get('file', '')} was trained on e5-small "
            f"{str(trained_on)[:12]}, this install has {base_source[:12]}; {REBUILD}",
        )
    try:
        trained = load_file(str(folder / manifest["file"]))
        net = load_scorer(base, trained, bool(manifest.get("interaction")))
        if net.layers != int(manifest["layers"]):
            raise ValueError(f"the weights hold other than {manifest['layers']} layers")
        tok = PairTokenizer(base / "tokenizer.json")
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        return None, Status(False, f"relevance model {folder} does not load ({exc}); {REBUILD}")
    return RelevanceModel(net, tok, manifest, base_source), status


def _heap_trimmer() -> Any:
    """glibc's ``malloc_trim`` (None elsewhere): after a question's pairs are scored, the
    heap's free pages go back to the system. Each batch's activations have another shape;
    kept, the freed ones fragmented the heap (RSS +263 MB after 80 questions). Trimming once
    per call cost nothing measurable; mapping every large allocation instead (``mallopt``)
    made scoring 14% slower."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _heap_trimmer()
