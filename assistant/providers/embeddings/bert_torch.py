"""The converted e5-small folder's BERT encoder and mean pooling in plain torch.

This is the forward pass sentence-transformers runs on that folder (``BertModel`` with
``sdpa`` attention, then the ``1_Pooling`` mean), without importing sentence-transformers,
transformers and scikit-learn: together ~8 s of CPU before a cold search could embed its
question, against ~1 s for torch and the weights (``make bench``, cold search). The module
names are ``BertModel``'s, so the folder's state dict loads as it is; the vectors equal the
sentence-transformers loader's (tests/integration/test_e5_small.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F


class Node(nn.Module):
    """A named container (``attention.self.query`` ...), so that parameter names match."""


def _linear(nin: int, nout: int) -> nn.Linear:
    return nn.Linear(nin, nout)


class EncoderLayer(nn.Module):
    """One BERT layer (self-attention, feed-forward), parameters named as `BertLayer`'s."""

    def __init__(self, hidden: int, heads: int, ffn: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.attention = Node()
        self.attention.self = Node()
        for name in ("query", "key", "value"):
            setattr(self.attention.self, name, _linear(hidden, hidden))
        self.attention.output = Node()
        self.attention.output.dense = _linear(hidden, hidden)
        self.attention.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = Node()
        self.intermediate.dense = _linear(hidden, ffn)
        self.output = Node()
        self.output.dense = _linear(ffn, hidden)
        self.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        att: Any = self.attention

        def heads(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, h // self.heads).transpose(1, 2)

        q, k, v = (heads(getattr(att.self, n)(x)) for n in ("query", "key", "value"))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        ctx = ctx.transpose(1, 2).reshape(b, t, h)
        x = att.output.LayerNorm(att.output.dense(ctx) + x)
        ffn: Any = self.intermediate
        out: Any = self.output
        result: torch.Tensor = out.LayerNorm(out.dense(F.gelu(ffn.dense(x))) + x)
        return result


class BertMeanEncoder(nn.Module):
    """Token ids and attention mask in, mean-pooled final hidden states out (not normalised)."""

    def __init__(self, config: dict[str, Any], state: dict[str, torch.Tensor]) -> None:
        """``state``: every weight is taken from it as it is (initialising 118 M random
        weights only to overwrite them took longer than loading them)."""
        super().__init__()
        h, eps = int(config["hidden_size"]), float(config["layer_norm_eps"])
        self.embeddings = Node()
        for name in ("word_embeddings", "position_embeddings", "token_type_embeddings"):
            table = state[f"embeddings.{name}.weight"]
            table_module = nn.Embedding.from_pretrained(table, freeze=True)  # type: ignore[no-untyped-call]
            setattr(self.embeddings, name, table_module)
        # On the meta device: no memory and no random initialisation for the 21 M weights
        # that ``state`` replaces at once (strict: every one of them is in it).
        with torch.device("meta"):
            self.embeddings.LayerNorm = nn.LayerNorm(h, eps=eps)
            self.encoder = Node()
            heads, ffn = int(config["num_attention_heads"]), int(config["intermediate_size"])
            self.encoder.layer = nn.ModuleList(
                EncoderLayer(h, heads, ffn, eps) for _ in range(int(config["num_hidden_layers"]))
            )
        self.dim = h
        self.max_positions = int(config["max_position_embeddings"])
        self.load_state_dict(
            {k: v for k, v in state.items() if not k.startswith("pooler.")},
            strict=True,
            assign=True,
        )
        self.requires_grad_(False)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        tokens = self.hidden(ids, mask).float()
        weights = mask.unsqueeze(-1).to(tokens.dtype)
        pooled: torch.Tensor = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return pooled

    def hidden(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The final hidden state of every token (a word table in fp16 is read as fp32)."""
        emb: Any = self.embeddings
        positions = torch.arange(ids.shape[1], dtype=torch.long).unsqueeze(0)
        x = emb.word_embeddings(ids) + emb.token_type_embeddings(torch.zeros_like(ids))
        x = emb.LayerNorm(x + emb.position_embeddings(positions))
        attend = mask.bool()[:, None, None, :]
        encoder: Any = self.encoder
        for layer in encoder.layer:
            x = layer(x, attend)
        out: torch.Tensor = x
        return out


def load_encoder(folder: Path) -> BertMeanEncoder:
    """The encoder of a converted e5-small folder, weights memory-mapped from safetensors."""
    from safetensors.torch import load_file

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    return BertMeanEncoder(config, load_file(str(folder / "model.safetensors"))).eval()
