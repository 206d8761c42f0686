"""Drafts from any OpenAI-compatible chat server: llama.cpp, llama-cpp-python, vLLM, LM Studio.

Needs the optional ``llm`` extra (``langchain-openai``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx2  # openai's HTTP client
import openai
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from assistant.providers.generators.base import Source
from assistant.providers.generators.chat_model import ChatModelGenerator

#: Errors that mean the server is not there; any other transport error means it accepted the
#: connection and then closed it without a (complete) answer: it failed.
_NOT_THERE = (httpx2.ConnectError, httpx2.TimeoutException)


def _dropped(exc: BaseException | None) -> bool:
    """Whether ``exc`` was caused by a server that closed a connection it had accepted."""
    while exc is not None:
        if isinstance(exc, httpx2.TransportError) and not isinstance(exc, _NOT_THERE):
            return True
        exc = exc.__cause__
    return False


class _DropWatch(httpx2.HTTPTransport):
    """Remembers, per thread, that the server dropped a request before answering it.

    openai retries such a request; when the server crashed, the retry cannot connect and the
    error raised only says so, which would read as "not started" instead of "failed".
    """

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    @property
    def dropped(self) -> bool:
        return bool(getattr(self.local, "dropped", False))

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            return super().handle_request(request)
        except httpx2.TransportError as exc:
            self.local.dropped = self.dropped or _dropped(exc)
            raise


class OpenAICompatGenerator(ChatModelGenerator):
    """Streams from ``{base_url}/chat/completions``.

    The token limit is sent twice: langchain-openai sends ``max_completion_tokens``, which
    llama.cpp's servers ignore (they then generate up to the context size), so ``max_tokens``
    goes along in the request body as well.
    """

    DEFAULT_URL = "http://127.0.0.1:8080/v1"  # llama.cpp's llama-server
    DEFAULT_MODEL = "local"  # llama.cpp serves its one model under any name
    client_errors = (openai.APIError, httpx2.TransportError)

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
        self._watch = _DropWatch()
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
            http_client=httpx2.Client(transport=self._watch),
        )
        super().__init__(chat, name="openai", where=base_url)
        self.timeout = timeout

    def stream(self, question: str, sources: list[Source], language: str) -> Iterator[str]:
        self._watch.local.dropped = False
        yield from super().stream(question, sources, language)

    def explain(self, exc: BaseException) -> str:
        if isinstance(exc, openai.APITimeoutError):
            return (
                f"the language model server at {self.where} did not answer within "
                f"{self.timeout:g} s (JEUGDAKKOORD_LLM_TIMEOUT)"
            )
        if isinstance(exc, openai.APIConnectionError) and (self._watch.dropped or _dropped(exc)):
            return (
                f"the language model server at {self.where} failed: it closed the connection "
                "without finishing its answer (did it crash? see its log)"
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
