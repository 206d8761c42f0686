"""Question–passage pairs as the relevance network reads them, without loading the 250k-piece
tokenizer into ``tokenizers`` (303 MB and ~1 s of every start with the model on).

The ids are the e5 tokenizer's (:class:`~assistant.providers.embeddings.query_tokenizer.
QueryTokenizer` builds a Unigram of only the pieces a batch can use), laid out by its pair
template ``<s> query: q </s></s> passage: p </s>``, cut the way the fast tokenizer's
``longest_first`` truncation cuts, and padded with ``<pad>``. The training code keeps the
Hugging Face tokenizer; tests/integration/test_relevance_pairs.py checks both give the same
ids on real questions and passages.
"""

from __future__ import annotations

from pathlib import Path

import torch

from assistant.providers.embeddings.query_tokenizer import QueryTokenizer

#: Prefixes e5 was trained with; the pair reads ``<s> query: q </s></s> passage: p </s>``.
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
#: A question's share of the window at most: a pasted paragraph must leave room for the
#: passage it is judged against.
QUERY_TOKENS = 64
BOS, PAD, EOS = 0, 1, 2
#: The template's own tokens around a pair: <s>, </s></s> between, </s> at the end.
ADDED = 4
#: What the Metaspace pre-tokenizer puts for a space.
SPACE = "\u2581"


class PairTokenizer:
    """The e5 tokenizer's ids for (question, passage) pairs, cut and padded for the model."""

    def __init__(self, tokenizer_json: Path) -> None:
        self._tokens = QueryTokenizer(tokenizer_json)

    def cut_query(self, query: str, limit: int = QUERY_TOKENS) -> tuple[str, int]:
        """``query`` cut to ``limit`` tokens, and how many tokens were cut."""
        [ids] = self._tokens.encode([query])
        if len(ids) <= limit:
            return query, 0
        return self._decode(ids[:limit]), len(ids) - limit

    def _decode(self, ids: list[int]) -> str:
        """The text of ``ids`` as the tokenizer's Metaspace decoder gives it."""
        text = "".join(self._tokens.piece(i) for i in ids).replace(SPACE, " ")
        return text[1:] if text.startswith(" ") else text

    def encode(
        self, queries: list[str], passages: list[str], max_length: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Ids and attention mask of the pairs, cut to ``max_length``: a question past
        ``QUERY_TOKENS`` is cut to them, then the longer of the two is cut first."""
        texts = [QUERY_PREFIX + self.cut_query(q)[0] for q in queries]
        texts += [PASSAGE_PREFIX + p for p in passages]
        ids = self._tokens.encode(texts)
        rows = [
            _pair(q, p, max_length - ADDED)
            for q, p in zip(ids[: len(queries)], ids[len(queries) :], strict=True)
        ]
        width = max(len(r) for r in rows)
        input_ids = torch.tensor([r + [PAD] * (width - len(r)) for r in rows], dtype=torch.long)
        mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
        return input_ids, mask


def _pair(first: list[int], second: list[int], room: int) -> list[int]:
    """The template around both, after the fast tokenizer's ``longest_first`` truncation to
    ``room`` content tokens: the shorter keeps its length unless both exceed half."""
    a, b = len(first), len(second)
    if a + b > room:
        swap = a > b
        short, long_ = (b, a) if swap else (a, b)
        long_ = short if short > room else max(short, room - short)
        if short + long_ > room:
            short = room // 2
            long_ = short + room % 2
        a, b = (long_, short) if swap else (short, long_)
    return [BOS, *first[:a], EOS, EOS, *second[:b], EOS]
