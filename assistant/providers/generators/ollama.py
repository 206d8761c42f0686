"""Drafts from a local Ollama server. Needs the optional ``llm`` extra (``langchain-ollama``)."""

from __future__ import annotations

import httpx
import ollama
from langchain_ollama import ChatOllama

from assistant.providers.generators.chat_model import ChatModelGenerator


class OllamaGenerator(ChatModelGenerator):
    """Streams from Ollama's chat API; ``max_tokens`` becomes Ollama's ``num_predict``."""

    DEFAULT_URL = "http://127.0.0.1:11434"
    DEFAULT_MODEL = "gemma3:270m"
    # The ollama client raises the builtin ConnectionError when nothing listens.
    client_errors = (ConnectionError, ollama.ResponseError, httpx.HTTPError)

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        base_url: str = DEFAULT_URL,
        temperature: float = 0.0,
        max_tokens: int = 512,
        timeout: float = 60.0,
    ) -> None:
        chat = ChatOllama(
            model=model,
            base_url=base_url,
            temperature=temperature,
            num_predict=max_tokens,
            client_kwargs={"timeout": timeout},
        )
        super().__init__(chat, name="ollama", where=base_url)
        self.model_name = model
        self.timeout = timeout

    def explain(self, exc: BaseException) -> str:
        if isinstance(exc, httpx.TimeoutException):
            return (
                f"the Ollama server at {self.where} did not answer within {self.timeout:g} s "
                "(JEUGDAKKOORD_LLM_TIMEOUT)"
            )
        if isinstance(exc, ConnectionError | httpx.ConnectError):
            return (
                f"cannot reach the Ollama server at {self.where}: start it (`ollama serve`), "
                "correct JEUGDAKKOORD_LLM_BASE_URL, or set JEUGDAKKOORD_GENERATOR=extractive"
            )
        if isinstance(exc, ollama.ResponseError) and exc.status_code == 404:
            return (
                f"the Ollama server at {self.where} does not have the model {self.model_name!r}: "
                f"run `ollama pull {self.model_name}` or set JEUGDAKKOORD_LLM_MODEL"
            )
        return super().explain(exc)
