"""The relevance network: the first N layers of the converted e5-small, a one-logit head on
their mean-pooled output, reading ``query: <question>`` and ``passage: <text>`` as one pair.

With ``interaction`` the head also reads two matching scores between the question's and the
passage's tokens after those layers: the mean over question tokens of the best cosine with any
passage token (late interaction, as in ColBERT) and the cosine of the two mean vectors. They
carry the pretrained encoder's sense of "same meaning" into the head from the first step, so
the few thousand steps two CPU cores allow are spent on judgement, not on relearning matching.

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

from assistant.providers.rerankers.relevance.network import (
    MATCH_FEATURES,
    TRAINED,
    masked_mean,
    matching,
)
from assistant.providers.rerankers.relevance.pairs import PASSAGE_PREFIX, QUERY_PREFIX, QUERY_TOKENS


class HalfEmbedding(nn.Module):
    """A frozen fp16 lookup table whose rows come out in fp32 (half the memory)."""

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        self.weight = nn.Parameter(weight.to(torch.float16), requires_grad=False)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return nn.functional.embedding(ids, self.weight).float()


#: Names the training code and tests take from here (the run-time modules define them).
__all__ = ["PASSAGE_PREFIX", "QUERY_PREFIX", "QUERY_TOKENS", "TRAINED", "RelevanceNet"]


class RelevanceNet(nn.Module):
    """Encoder (N layers) + dropout + linear head: one logit per (question, passage) pair."""

    def __init__(self, config: BertConfig, interaction: bool = False) -> None:
        super().__init__()
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(0.1)
        self.interaction = interaction
        #: ``</s>``: one ends the question, two more open and end the passage.
        eos = config.eos_token_id
        self.sep_id = eos if isinstance(eos, int) else 2
        extra = MATCH_FEATURES if interaction else 0
        self.head = nn.Linear(config.hidden_size + extra, 1)
        if interaction:
            with torch.no_grad():  # start from "the more tokens match, the likelier"
                self.head.weight[0, -2] = 4.0
                self.head.weight[0, -1] = 2.0

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        features = self.dropout(masked_mean(hidden, attention_mask))
        if self.interaction:
            match = matching(input_ids, attention_mask, hidden, self.sep_id)
            features = torch.cat([features, match], dim=-1)
        logits: torch.Tensor = self.head(features).squeeze(-1)
        return logits


def build(base: Path, layers: int, interaction: bool = False) -> RelevanceNet:
    """The network with e5-small's embeddings and first ``layers`` encoder layers (the start
    of training; a trained state is loaded over it with :func:`load_trained`)."""
    config = BertConfig.from_pretrained(str(base))
    if not 1 <= layers <= config.num_hidden_layers:
        raise ValueError(f"layers must be 1..{config.num_hidden_layers}, not {layers}")
    config.num_hidden_layers = layers
    net = RelevanceNet(config, interaction)
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
    net.bert.embeddings.word_embeddings = HalfEmbedding(words)  # type: ignore[assignment]
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


def cut_query(tok: Any, query: str, limit: int = QUERY_TOKENS) -> tuple[str, int]:
    """``query`` cut to ``limit`` tokens, and how many tokens were cut (the Hugging Face
    tokenizer's way; :class:`~.pairs.PairTokenizer` does the same at run time)."""
    ids = tok(query, add_special_tokens=False)["input_ids"]
    if len(ids) <= limit:
        return query, 0
    return tok.decode(ids[:limit]), len(ids) - limit


def encode(tok: Any, queries: list[str], passages: list[str], max_length: int) -> Any:
    """Token ids of the pairs, cut to ``max_length``: a question past ``QUERY_TOKENS`` is cut
    to them, then the longer of the two is cut first."""
    return tok(
        [QUERY_PREFIX + cut_query(tok, q)[0] for q in queries],
        [PASSAGE_PREFIX + p for p in passages],
        truncation="longest_first",
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )
