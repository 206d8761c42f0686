"""The relevance network: the first N layers of the converted e5-small, a one-logit head on
their mean-pooled output, reading ``query: <question>`` and ``passage: <text>`` as one pair.

The embedding tables (250k x 384 words, positions, type, their layer norm) stay frozen and
come from the locally converted e5-small at load time, in fp16 (half the memory; the lookup
is cast to fp32). Only the encoder layers and the head are trained and shipped, which keeps
the shipped file at about 3.5 MB per layer in fp16.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open
from torch import nn
from transformers import AutoTokenizer, BertConfig, BertModel

#: Prefixes e5 was trained with; the pair reads ``<s> query: q </s></s> passage: p </s>``.
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
#: Parameter-name prefixes that are trained and shipped (everything else is the frozen base).
TRAINED = ("bert.encoder.", "head.")


class _HalfEmbedding(nn.Module):
    """A frozen fp16 lookup table whose rows come out in fp32."""

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        self.weight = nn.Parameter(weight.to(torch.float16), requires_grad=False)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return nn.functional.embedding(ids, self.weight).float()


class RelevanceNet(nn.Module):
    """Encoder (N layers) + dropout + linear head: one logit per (question, passage) pair."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(config.hidden_size, 1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        logits: torch.Tensor = self.head(self.dropout(pooled)).squeeze(-1)
        return logits


def build(base: Path, layers: int) -> RelevanceNet:
    """The network with e5-small's embeddings and first ``layers`` encoder layers (the start
    of training; a trained state is loaded over it with :func:`load_trained`)."""
    config = BertConfig.from_pretrained(str(base))
    if not 1 <= layers <= config.num_hidden_layers:
        raise ValueError(f"layers must be 1..{config.num_hidden_layers}, not {layers}")
    config.num_hidden_layers = layers
    net = RelevanceNet(config)
    state: dict[str, torch.Tensor] = {}
    with safe_open(str(base / "model.safetensors"), framework="pt") as fh:
        for key in fh.keys():  # noqa: SIM118 - safe_open is not a mapping
            if key.startswith("encoder.layer."):
                if int(key.split(".")[2]) >= layers:
                    continue
            elif not key.startswith("embeddings."):
                continue
            state[f"bert.{key}"] = fh.get_tensor(key)
    words = state.pop("bert.embeddings.word_embeddings.weight")
    net.bert.embeddings.word_embeddings = _HalfEmbedding(words)  # type: ignore[assignment]
    missing, unexpected = net.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.startswith("head.") and "word_embeddings" not in m]
    if missing or unexpected:
        raise ValueError(f"e5-small base does not fit: missing {missing}, extra {unexpected}")
    for name, param in net.named_parameters():
        param.requires_grad = name.startswith(TRAINED)
    return net


def trained_state(net: RelevanceNet) -> dict[str, torch.Tensor]:
    """The trained part (encoder layers and head), in fp16: what ships."""
    return {
        k: v.detach().to(torch.float16).contiguous()
        for k, v in net.state_dict().items()
        if k.startswith(TRAINED)
    }


def load_trained(net: RelevanceNet, state: dict[str, torch.Tensor]) -> None:
    """Put a shipped state over the base (fp16 values become fp32 parameters)."""
    expected = {k for k in net.state_dict() if k.startswith(TRAINED)}
    if set(state) != expected:
        raise ValueError(
            f"weights do not fit the network: missing {sorted(expected - set(state))[:3]}, "
            f"extra {sorted(set(state) - expected)[:3]}"
        )
    net.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)


def tokenizer(base: Path) -> Any:
    return AutoTokenizer.from_pretrained(str(base))


def encode(tok: Any, queries: list[str], passages: list[str], max_length: int) -> Any:
    """Token ids of the pairs, cut to ``max_length`` (the longer of the two is cut first)."""
    return tok(
        [QUERY_PREFIX + q for q in queries],
        [PASSAGE_PREFIX + p for p in passages],
        truncation="longest_first",
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )
