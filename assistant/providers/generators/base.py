"""The generator interface: turn a question and numbered source passages into cited text.

Generators write; they are never trusted. Whatever a generator returns is parsed and checked
by :mod:`assistant.answering.validate` before a user sees it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.core.types import Chunk


class GeneratorError(RuntimeError):
    """The generator could not be reached or failed; the caller falls back to extractive."""

    kind = "unavailable"  # how the faces report it (core.errors.KINDS)
    code = "generator_error"  # its message: ``assistant.core.errors.MESSAGES``


@dataclass(frozen=True)
class Source:
    """A numbered passage offered to a generator; ``n`` is what ``[n]`` refers to."""

    n: int
    chunk: Chunk


class Generator(ABC):
    """Streams the raw draft: an answer with [n] markers, then ``CLAUSE:`` and a clause."""

    name: str = "generator"

    @abstractmethod
    def stream(self, question: str, sources: list[Source], language: str) -> Iterator[str]:
        """Yield text pieces as they are produced (tokens for LLMs)."""
