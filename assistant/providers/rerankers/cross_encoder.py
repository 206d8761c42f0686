"""Any sentence-transformers ``CrossEncoder`` by Hugging Face name or local path (extra ``st``).

For Dutch passages and English or Dutch questions use a multilingual reranker, e.g.
``BAAI/bge-reranker-v2-m3`` or ``cross-encoder/mmarco-mMiniLMv2-L12-H384-v1``. With
``HF_HUB_OFFLINE=1`` (the default) a hub name only works when the model is in the local cache.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from assistant.providers.rerankers.base import Reranker, RerankError

#: Long chunks are cut by the model anyway; this keeps a pass bounded on a CPU.
MAX_LENGTH = 512


class CrossEncoderReranker(Reranker):
    def __init__(self, name_or_path: str, device: str = "cpu") -> None:
        try:
            from sentence_transformers import CrossEncoder
        except ImportError as exc:
            raise RerankError(
                "sentence-transformers is not installed: pip install 'jeugdakkoord[st]'"
            ) from exc
        try:
            self._model: Any = CrossEncoder(name_or_path, device=device, max_length=MAX_LENGTH)
        except (OSError, ValueError) as exc:
            raise RerankError(
                f"could not load cross-encoder {name_or_path!r}: {exc}. Offline mode is on "
                "(HF_HUB_OFFLINE=1): pass a local path, or set HF_HUB_OFFLINE=0 to download "
                "from the Hugging Face hub."
            ) from exc
        self._lock = threading.Lock()  # one forward pass at a time: torch on 2 cores
        label = Path(name_or_path).name if Path(name_or_path).exists() else name_or_path
        self.model_id = f"ce:{label}"

    def score(self, query: str, passages: list[str]) -> list[float]:
        if not passages:
            return []
        with self._lock:
            scores = self._model.predict(
                [(query, p) for p in passages], show_progress_bar=False, convert_to_numpy=True
            )
        return [float(s) for s in scores.reshape(len(passages), -1)[:, -1]]
