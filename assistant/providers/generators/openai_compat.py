"""Drafts from any OpenAI-compatible chat server: llama.cpp, llama-cpp-python, vLLM, LM Studio.

Needs the optional ``llm`` extra (``langchain-openai``).
"""

from __future__ import annotations

import openai
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from assistant.providers.generators.chat_model import ChatModelGenerator


class OpenAICompatGenerator(ChatModelGenerator):
    """Streams from ``{base_url}/chat/completions``.

    The token limit is sent twice: langchain-openai sends ``max_completion_tokens``, which
    llama.cpp's servers ignore (they then generate up to the context size), so ``max_tokens``
    goes along in the request body as well.
    """

    DEFAULT_URL = "http://127.0.0.1:8080/v1"  # llama.cpp's llama-server
    DEFAULT_MODEL = "local"  # llama.cpp serves its one model under any name
    client_errors = (openai.APIError,)

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        model: str = DEFAULT_MODEL,
        api_key: str = "not-needed",
        temperature: float = 0.0,
        max_tokens: int = 512,
        timeout: float = 60.0,
        max_retries: int = 1,
    ) -> None:
        chat = ChatOpenAI(
            base_url=base_url,
            model=model,
            api_key=SecretStr(api_key or "not-needed"),
            temperature=temperature,
            max_completion_tokens=max_tokens,
            extra_body={"max_tokens": max_tokens},
            streaming=True,
            timeout=timeout,
            max_retries=max_retries,
        )
        super().__init__(chat, name="openai", where=base_url)
        self.timeout = timeout

    def explain(self, exc: BaseException) -> str:
        if isinstance(exc, openai.APITimeoutError):
            return (
                f"the language model server at {self.where} did not answer within "
                f"{self.timeout:g} s (JEUGDAKKOORD_LLM_TIMEOUT)"
            )
        if isinstance(exc, openai.APIConnectionError):
            return (
                f"cannot reach the language model server at {self.where}: start it, correct "
                "JEUGDAKKOORD_LLM_BASE_URL, or set JEUGDAKKOORD_GENERATOR=extractive"
            )
        if isinstance(exc, openai.APIStatusError):
            return (
                f"the language model server at {self.where} answered HTTP {exc.status_code}: "
                f"{exc.message}"
            )
        return super().explain(exc)
