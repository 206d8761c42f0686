"""The relevance network at run time, in plain torch: the trained encoder layers and head over
e5-small's frozen embeddings, without importing transformers (~2 s and ~100 MB at start).

It computes what :class:`~assistant.providers.rerankers.relevance.model.RelevanceNet` (the
training network, on transformers' ``BertModel``) computes in eval mode: the layers are
:mod:`assistant.providers.embeddings.bert_torch`'s, whose parameter names are ``BertModel``'s,
so the shipped state loads as it is (tests/integration/test_relevance_pairs.py compares the
two networks' logits).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, BinaryIO

import torch
from safetensors import safe_open
from torch import nn

from assistant.providers.embeddings.bert_torch import BertMeanEncoder
from assistant.providers.rerankers.relevance.pairs import EOS

#: The number of matching scores the head reads besides the pooled vector (interaction).
MATCH_FEATURES = 2
#: Parameter-name prefixes that are trained and shipped (everything else is the frozen base).
TRAINED = ("bert.encoder.", "head.")


def masked_mean(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)


def matching(
    input_ids: torch.Tensor, attention_mask: torch.Tensor, hidden: torch.Tensor, sep_id: int
) -> torch.Tensor:
    """Late-interaction and mean-vector cosines between the question and the passage: each
    question token's best cosine with a passage token, averaged, and the cosine of the two
    mean vectors."""
    sep = input_ids == sep_id
    seen = sep.long().cumsum(1)
    live = attention_mask.bool()
    question = (seen == 0) & live
    question[:, 0] = False  # <s>
    passage = (seen == 2) & ~sep & live
    unit = nn.functional.normalize(hidden, dim=-1)
    sim = unit @ unit.transpose(1, 2)
    sim = sim.masked_fill(~passage.unsqueeze(1), -1.0)
    best = sim.max(-1).values
    weights = question.to(hidden.dtype)
    late = (best * weights).sum(1) / weights.sum(1).clamp(min=1.0)
    means = nn.functional.cosine_similarity(
        masked_mean(hidden, question), masked_mean(hidden, passage), dim=-1
    )
    return torch.stack([late, means], dim=-1)


class Scorer(nn.Module):
    """Ids and mask of pairs in, one logit per pair out (inference only): the plain-torch
    BERT of the embedder over the trained layers, the matching scores and the head."""

    def __init__(self, config: dict[str, Any], tables: dict[str, torch.Tensor],
                 trained: dict[str, torch.Tensor], interaction: bool) -> None:  # fmt: skip
        super().__init__()
        layers_of, head_of = TRAINED
        layers = 1 + max(int(k.split(".")[3]) for k in trained if k.startswith(layers_of))
        encoder = {k.removeprefix("bert."): v.float() for k, v in trained.items()
                   if k.startswith(layers_of)}  # fmt: skip
        self.bert = BertMeanEncoder({**config, "num_hidden_layers": layers}, {**tables, **encoder})
        h = int(config["hidden_size"])
        with torch.device("meta"):  # no random initialisation: the trained state replaces it
            self.head = nn.Linear(h + (MATCH_FEATURES if interaction else 0), 1)
        head = {k.removeprefix(head_of): v.float() for k, v in trained.items()
                if k.startswith(head_of)}  # fmt: skip
        self.head.load_state_dict(head, strict=True, assign=True)
        self.interaction = interaction
        self.layers = layers
        self.requires_grad_(False)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.bert.hidden(input_ids, attention_mask)
        features = masked_mean(x, attention_mask)
        if self.interaction:
            features = torch.cat([features, matching(input_ids, attention_mask, x, EOS)], -1)
        logits: torch.Tensor = self.head(features).squeeze(-1)
        return logits


def load_scorer(base: Path, trained: dict[str, torch.Tensor], interaction: bool) -> Scorer:
    """The run-time network: e5-small's embeddings from ``base`` (the converted folder) under
    the ``trained`` layers and head of a shipped state."""
    config = json.loads((base / "config.json").read_text(encoding="utf-8"))
    weights = base / "model.safetensors"
    words = word_table(weights, WORDS)
    # the encoder is built over an empty table; the rows come from the file (or memory)
    tables: dict[str, torch.Tensor] = {
        WORDS: words if isinstance(words, torch.Tensor) else torch.empty(0, words.cols)
    }
    with safe_open(str(weights), framework="pt") as fh:
        for key in fh.keys():  # noqa: SIM118 - safe_open is not a mapping
            if key.startswith("embeddings.") and key != WORDS:
                # a copy: a tensor left on the file's memory map keeps all of it mapped
                tables[key] = fh.get_tensor(key).clone()
    scorer = Scorer(config, tables, trained, interaction)
    if isinstance(words, FileRows):
        scorer.bert.embeddings.word_embeddings = words
    return scorer.eval()


WORDS = "embeddings.word_embeddings.weight"
#: Rows of the word table converted at a time.
_BLOCK_ROWS = 16384


def _fp32_table(fh: BinaryIO, weights: Path, key: str) -> tuple[int, int, int]:
    """Rows, columns and file offset of a 2-d fp32 table, from the safetensors header."""
    size = int.from_bytes(fh.read(8), "little")
    entry = json.loads(fh.read(size))[key]
    if entry["dtype"] != "F32" or len(entry["shape"]) != 2:
        raise ValueError(f"{weights}: {key} is not a 2-d fp32 table")
    rows, cols = (int(n) for n in entry["shape"])
    start, end = (int(n) for n in entry["data_offsets"])
    if end - start != rows * cols * 4:
        raise ValueError(f"{weights}: {key} has {end - start} bytes, not {rows * cols * 4}")
    return rows, cols, 8 + size + start


def half_table(weights: Path, key: str) -> torch.Tensor:
    """An fp32 table of a safetensors file read in blocks into fp16: memory-mapping it would
    leave all 384 MB of the file's pages counted against the process beside the 192 MB copy."""
    with weights.open("rb") as fh:
        rows, cols, start = _fp32_table(fh, weights, key)
        out = torch.empty((rows, cols), dtype=torch.float16)
        fh.seek(start)
        for row in range(0, rows, _BLOCK_ROWS):
            n = min(_BLOCK_ROWS, rows - row)
            block = bytearray(fh.read(n * cols * 4))
            if len(block) != n * cols * 4:
                raise ValueError(f"{weights}: {key} is truncated")
            out[row : row + n] = torch.frombuffer(block, dtype=torch.float32).view(n, cols)
    return out


#: The fp16 word table derived from ``model.safetensors``, next to it in the converted folder.
WORDS_FILE = "relevance-words-fp16.bin"


class FileRows(nn.Module):
    """A frozen fp16 table whose rows are read from its file as the ids ask for them (fp32
    out). A question and its passages use a few hundred of the 250k rows; memory-mapping
    the file made most of it resident anyway, because the kernel maps the neighbours of
    each faulted page (152 of 192 MB after 80 questions). Reads go through the page cache,
    which the kernel may drop, and a file replaced meanwhile is still read whole."""

    def __init__(self, path: Path, rows: int, cols: int) -> None:
        super().__init__()
        self._file = path.open("rb", buffering=0)
        self.rows, self.cols = rows, cols
        self._row_bytes = cols * 2

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        unique, inverse = torch.unique(ids, return_inverse=True)
        size, fd = self._row_bytes, self._file.fileno()
        buf = bytearray(len(unique) * size)
        for i, row in enumerate(unique.tolist()):
            if not 0 <= row < self.rows:
                raise IndexError(f"token id {row} is outside the word table ({self.rows})")
            chunk = os.pread(fd, size, row * size)
            if len(chunk) != size:
                raise ValueError(f"{self._file.name} is truncated at row {row}")
            buf[i * size : (i + 1) * size] = chunk
        found = torch.frombuffer(buf, dtype=torch.float16).view(-1, self.cols).float()
        return found[inverse]


def word_table(weights: Path, key: str) -> torch.Tensor | FileRows:
    """The fp16 word table, read row by row from a file derived once beside ``weights``
    (:class:`FileRows`), where the table in memory held 192 MB. The file is written
    atomically and checked by size, in a folder that is replaced as a whole when the model
    changes; a folder that cannot take it keeps the table in memory."""
    with weights.open("rb") as fh:
        rows, cols, _ = _fp32_table(fh, weights, key)
    derived = weights.parent / WORDS_FILE
    if not derived.is_file() or derived.stat().st_size != rows * cols * 2:
        table = half_table(weights, key)
        tmp = derived.with_name(f"{derived.name}.{os.getpid()}.tmp")
        try:
            table.numpy().tofile(tmp)
            tmp.replace(derived)
        except OSError:
            tmp.unlink(missing_ok=True)
            return table
    return FileRows(derived, rows, cols)
