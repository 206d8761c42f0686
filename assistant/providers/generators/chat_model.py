"""Every LLM generator is one LCEL chain: prompt | chat model | parser.

Subclasses (one file per backend) supply the LangChain chat model and say which of its
client's errors mean "the model failed" and how to explain them to the user.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable

from assistant.providers.generators.base import Generator, GeneratorError, Source
from assistant.providers.generators.prompt import PROMPT


class ChatModelGenerator(Generator):
    """A generator backed by a LangChain chat model; subclasses say which errors mean what."""

    #: Exceptions of the model's client that mean "the model failed", not "our bug".
    client_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, model: BaseChatModel, name: str = "chat-model", where: str = "") -> None:
        self.model = model
        self.name = name
        self.where = where
        #: The draft chain; a team can reuse it in its own LangChain pipelines.
        self.chain: Runnable[dict[str, Any], str] = PROMPT | model | StrOutputParser()

    def stream(self, question: str, sources: list[Source], language: str) -> Iterator[str]:
        inputs = {"question": question, "sources": sources, "language": language}
        try:
            for piece in self.chain.stream(inputs):
                if piece:
                    yield piece
        except self.client_errors as exc:
            raise GeneratorError(self.explain(exc)) from exc

    def explain(self, exc: BaseException) -> str:
        """A message for the user: what failed, where, and what to do."""
        at = f" at {self.where}" if self.where else ""
        return f"the {self.name} language model{at} failed: {exc}"
