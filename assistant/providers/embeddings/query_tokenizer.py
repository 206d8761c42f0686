"""The e5 tokenizer's ids for a few short texts (questions) without loading its 250k-piece
vocabulary into ``tokenizers``: building that Unigram model took ~0.9 CPU s of every cold
search, with the GIL held, so nothing else could load meanwhile.

A Unigram tokenizer's Viterbi lattice only holds vocabulary pieces that occur in the
normalised text, plus unknown-character nodes scored below the vocabulary's lowest score.
So a Unigram of just those pieces and that lowest-scored piece, with the same normaliser,
pre-tokeniser and added tokens, splits the text exactly as the full one does; its ids are
mapped back to the full vocabulary's (tests/integration/test_fast_start.py compares both on
thousands of texts). The pieces and scores are cached next to ``tokenizer.json`` in a flat
file that loads in a few hundredths of a second; a missing, stale or damaged cache is
rebuilt from ``tokenizer.json``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

CACHE_NAME = ".query-tokenizer.bin"
#: Bumped when the cache's layout changes.
CACHE_VERSION = 1
#: Leading special pieces (<s>, <pad>, </s>, <unk>) kept at their ids in every sub-vocabulary.
SPECIALS = 4


class QueryTokenizer:
    """Content token ids of short texts, equal to ``tokenizer.json``'s."""

    def __init__(self, tokenizer_json: Path) -> None:
        from tokenizers import Tokenizer

        header, pieces, scores = _load_or_build(tokenizer_json)
        self._skeleton = header["skeleton"]
        self._pieces = pieces
        self._scores = scores
        self._max_len = int(header["max_len"])
        self._min_id = int(header["min_id"])
        self._index = {p: i for i, p in enumerate(pieces)}
        self._splitter = Tokenizer.from_str(json.dumps(self._with_vocab(range(SPECIALS))))

    def _with_vocab(self, ids: Any) -> dict[str, Any]:
        skeleton = dict(self._skeleton)
        model = dict(skeleton["model"])
        model["vocab"] = [[self._pieces[i], self._scores[i]] for i in ids]
        skeleton["model"] = model
        return skeleton

    def piece(self, token_id: int) -> str:
        """The vocabulary piece of ``token_id`` ("" for an added token past the vocabulary)."""
        return self._pieces[token_id] if 0 <= token_id < len(self._pieces) else ""

    def encode(self, texts: list[str]) -> list[list[int]]:
        """The ids of each text, no special tokens added (``add_special_tokens=False``)."""
        from tokenizers import Tokenizer

        segments = [
            enc.tokens for enc in self._splitter.encode_batch(texts, add_special_tokens=False)
        ]
        found: set[int] = {self._min_id}
        for segment in (s for tokens in segments for s in tokens):
            for a in range(len(segment)):
                for b in range(a + 1, min(a + self._max_len, len(segment)) + 1):
                    i = self._index.get(segment[a:b])
                    if i is not None:
                        found.add(i)
        ids = list(range(SPECIALS)) + sorted(i for i in found if i >= SPECIALS)
        sub = Tokenizer.from_str(json.dumps(self._with_vocab(ids)))
        encs = sub.encode_batch(texts, add_special_tokens=False)
        # An added token outside the sub-vocabulary (<mask>) has an id of its own in it.
        return [
            [ids[i] if i < len(ids) else self._index[str(sub.id_to_token(i))] for i in e.ids]
            for e in encs
        ]


def _load_or_build(tokenizer_json: Path) -> tuple[dict[str, Any], list[str], list[float]]:
    cache = tokenizer_json.parent / CACHE_NAME
    signature = _signature(tokenizer_json)
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return _read(cache, signature)
    header, pieces, scores = _from_tokenizer_json(tokenizer_json, signature)
    with contextlib.suppress(OSError):  # a read-only model folder rebuilds it every time
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        _write(tmp, header, pieces, scores)
        tmp.replace(cache)
    return header, pieces, scores


def _signature(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _from_tokenizer_json(
    path: Path, signature: list[int]
) -> tuple[dict[str, Any], list[str], list[float]]:
    spec = json.loads(path.read_text(encoding="utf-8"))
    model = spec["model"]
    if model.get("type") != "Unigram" or model.get("byte_fallback"):
        raise ValueError(f"{path} is not a Unigram tokenizer without byte fallback")
    vocab = model["vocab"]
    pieces = [str(p) for p, _ in vocab]
    scores = [float(s) for _, s in vocab]
    if any("\n" in p for p in pieces) or model.get("unk_id") != 3:
        raise ValueError(f"{path}: unexpected vocabulary layout")
    spec["model"] = {**model, "vocab": []}
    header = {
        "version": CACHE_VERSION,
        "source": signature,
        "skeleton": spec,
        "max_len": max(len(p) for p in pieces),
        "min_id": min(range(len(scores)), key=scores.__getitem__),
    }
    return header, pieces, scores


def _write(path: Path, header: dict[str, Any], pieces: list[str], scores: list[float]) -> None:
    text = "\n".join(pieces).encode("utf-8")
    numbers = np.asarray(scores, dtype="<f8").tobytes()
    head = dict(header, count=len(pieces), text_bytes=len(text))
    head["sha256"] = hashlib.sha256(text + numbers).hexdigest()
    with path.open("wb") as out:
        out.write(json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n")
        out.write(text)
        out.write(numbers)


def _read(path: Path, signature: list[int]) -> tuple[dict[str, Any], list[str], list[float]]:
    """The cache, or ValueError when it is stale, truncated or altered."""
    data = path.read_bytes()
    end = data.index(b"\n")
    header: dict[str, Any] = json.loads(data[:end])
    if header["version"] != CACHE_VERSION or header["source"] != signature:
        raise ValueError("stale query tokenizer cache")
    body = data[end + 1 :]
    n, text_bytes = int(header["count"]), int(header["text_bytes"])
    if len(body) != text_bytes + 8 * n or hashlib.sha256(body).hexdigest() != header["sha256"]:
        raise ValueError("damaged query tokenizer cache")
    pieces = body[:text_bytes].decode("utf-8").split("\n")
    scores: list[float] = np.frombuffer(body[text_bytes:], dtype="<f8").tolist()
    if len(pieces) != n:
        raise ValueError("damaged query tokenizer cache")
    return header, pieces, scores
