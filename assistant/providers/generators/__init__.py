"""Draft generators by name: ``extractive`` (default, no model), ``openai``, ``ollama``; more
through the provider registry.

The LLM generators live behind the optional ``llm`` extra and are imported only when chosen,
so the default install never needs them. Every generator streams through
:class:`ChatModelGenerator`: one chain (prompt | chat model | parser) that turns its client
errors into :class:`GeneratorError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.providers.generators.base import Generator, GeneratorError, Source
from assistant.providers.generators.chat_model import ChatModelGenerator
from assistant.providers.registry import REGISTRY, Provider, register_all

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

LLM_EXTRA_MISSING = (
    "the {name} generator needs the optional `llm` extra: pip install 'jeugdakkoord[llm]' "
    "(or set JEUGDAKKOORD_GENERATOR=extractive)"
)


def _extractive(_: str, settings: Settings) -> None:
    return None


def _openai(_: str, settings: Settings) -> Generator:
    try:
        from assistant.providers.generators.openai_compat import OpenAICompatGenerator
    except ImportError as exc:
        raise GeneratorError(LLM_EXTRA_MISSING.format(name="openai")) from exc
    return OpenAICompatGenerator(
        base_url=settings.llm_base_url or OpenAICompatGenerator.DEFAULT_URL,
        model=settings.llm_model or OpenAICompatGenerator.DEFAULT_MODEL,
        api_key=settings.llm_api_key,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
    )


def _ollama(_: str, settings: Settings) -> Generator:
    try:
        from assistant.providers.generators.ollama import OllamaGenerator
    except ImportError as exc:
        raise GeneratorError(LLM_EXTRA_MISSING.format(name="ollama")) from exc
    return OllamaGenerator(
        model=settings.llm_model or OllamaGenerator.DEFAULT_MODEL,
        base_url=settings.llm_base_url or OllamaGenerator.DEFAULT_URL,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
    )


register_all(
    [
        Provider(
            "generator",
            "extractive",
            _extractive,
            "verbatim quotes and rule-based clauses, no language model (the default)",
            aliases=("",),
        ),
        Provider(
            "generator",
            "openai",
            _openai,
            "any OpenAI-compatible chat server (llama.cpp, vLLM, LM Studio)",
            requires=("langchain_openai", "openai"),
            extra="llm",
            needs="a running server at JEUGDAKKOORD_LLM_BASE_URL",
        ),
        Provider(
            "generator",
            "ollama",
            _ollama,
            "a local Ollama server",
            requires=("langchain_ollama", "ollama"),
            extra="llm",
            needs="`ollama serve` with the model of JEUGDAKKOORD_LLM_MODEL pulled",
        ),
    ]
)
GENERATORS = tuple(p.name for p in REGISTRY.of_kind("generator"))


def get_generator(settings: Settings) -> Generator | None:
    """The configured LLM generator, or None for the extractive default."""
    name = settings.generator.strip().lower()
    found = REGISTRY.find("generator", name)
    if found is None:
        names = ", ".join(p.name for p in REGISTRY.of_kind("generator"))
        raise GeneratorError(f"unknown generator {name!r}; use one of: {names}")
    generator: Generator | None = found[0].make(found[1], settings)
    return generator
