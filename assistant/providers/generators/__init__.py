"""Draft generators by name: ``extractive`` (default, no model), ``openai``, ``ollama``.

The LLM generators live behind the optional ``llm`` extra and are imported only when chosen,
so the default install never needs them. Every generator streams through
:class:`ChatModelGenerator`: one place that builds the prompt, streams a LangChain chat model
and turns its client errors into :class:`GeneratorError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import convert_to_messages

from assistant.providers.generators.base import Generator, GeneratorError, Source

if TYPE_CHECKING:
    from assistant.core.settings import Settings

__all__ = [
    "GENERATORS",
    "ChatModelGenerator",
    "Generator",
    "GeneratorError",
    "Source",
    "get_generator",
]

GENERATORS = ("extractive", "openai", "ollama")
LLM_EXTRA_MISSING = (
    "the {name} generator needs the optional `llm` extra: pip install 'jeugdakkoord[llm]' "
    "(or set JEUGDAKKOORD_GENERATOR=extractive)"
)


class ChatModelGenerator(Generator):
    """A generator backed by a LangChain chat model; subclasses say which errors mean what."""

    #: Exceptions of the model's client that mean "the model failed", not "our bug".
    client_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, model: BaseChatModel, name: str = "chat-model", where: str = "") -> None:
        self.model = model
        self.name = name
        self.where = where

    def stream(self, question: str, sources: list[Source], language: str) -> Iterator[str]:
        from assistant.answering.prompt import (
            build_messages,  # prompt imports .base: not at import time
        )

        messages = convert_to_messages(build_messages(question, sources, language))
        try:
            for chunk in self.model.stream(messages):
                if chunk.text:
                    yield chunk.text
        except self.client_errors as exc:
            raise GeneratorError(self.explain(exc)) from exc

    def explain(self, exc: BaseException) -> str:
        """A message for the user: what failed, where, and what to do."""
        at = f" at {self.where}" if self.where else ""
        return f"the {self.name} language model{at} failed: {exc}"


def get_generator(settings: Settings) -> Generator | None:
    """The configured LLM generator, or None for the extractive default."""
    name = settings.generator.strip().lower()
    if name in ("", "extractive"):
        return None
    if name == "openai":
        try:
            from assistant.providers.generators.openai_compat import OpenAICompatGenerator
        except ImportError as exc:
            raise GeneratorError(LLM_EXTRA_MISSING.format(name=name)) from exc
        return OpenAICompatGenerator(
            base_url=settings.llm_base_url or OpenAICompatGenerator.DEFAULT_URL,
            model=settings.llm_model or OpenAICompatGenerator.DEFAULT_MODEL,
            api_key=settings.llm_api_key,
            max_tokens=settings.llm_max_tokens,
            timeout=settings.llm_timeout,
        )
    if name == "ollama":
        try:
            from assistant.providers.generators.ollama import OllamaGenerator
        except ImportError as exc:
            raise GeneratorError(LLM_EXTRA_MISSING.format(name=name)) from exc
        return OllamaGenerator(
            model=settings.llm_model or OllamaGenerator.DEFAULT_MODEL,
            base_url=settings.llm_base_url or OllamaGenerator.DEFAULT_URL,
            max_tokens=settings.llm_max_tokens,
            timeout=settings.llm_timeout,
        )
    raise GeneratorError(f"unknown generator {name!r}; use one of: {', '.join(GENERATORS)}")
