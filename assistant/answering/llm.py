"""The optional LLM path: stream a draft, validate it, repair once, else hand back the failure.

A language model drafts fluent text but is never trusted: every draft goes through
:func:`assistant.answering.validate.validate`. A failing draft gets one repair attempt,
with the problems spelled out and the same sources; if that fails too the caller shows the
extractive answer with the notice returned here, so the user sees that the model's text was
withheld and why.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from langchain_core.runnables import Runnable, RunnableGenerator

from assistant.answering.validate import ValidationResult, validate
from assistant.providers.embeddings.base import Embedder
from assistant.providers.generators.base import Generator, GeneratorError, Source

#: Problems listed in a repair prompt (the first ones; a long list only confuses a model).
MAX_PROBLEMS_IN_REPAIR = 8

NOTICES = {
    "nl": {
        "unsupported": "Het taalmodel gaf een antwoord dat niet door de bronnen wordt gedekt; "
        "hieronder het antwoord op basis van letterlijke citaten.",
        "failed": "Het taalmodel is niet beschikbaar ({reason}); "
        "hieronder het antwoord op basis van letterlijke citaten.",
    },
    "en": {
        "unsupported": "The language model gave an answer that the sources do not support; "
        "below is the answer built from verbatim quotes.",
        "failed": "The language model is not available ({reason}); "
        "below is the answer built from verbatim quotes.",
    },
}

REPAIR = {
    "nl": (
        "Je vorige antwoord op deze vraag is afgekeurd, omdat:\n{problems}\n"
        "Schrijf een nieuw antwoord dat alleen zegt wat in de bronnen staat, met [n] achter elke "
        "zin en letterlijke citaten tussen aanhalingstekens. De vraag was: {question}"
    ),
    "en": (
        "Your previous answer to this question was rejected, because:\n{problems}\n"
        "Write a new answer that only says what the sources say, with [n] after every sentence "
        "and verbatim quotes in quotation marks. The question was: {question}"
    ),
}


def repair_question(question: str, problems: list[str], language: str) -> str:
    """The question again, preceded by what was wrong with the previous draft."""
    listed = "\n".join(f"- {p}" for p in problems[:MAX_PROBLEMS_IN_REPAIR])
    return REPAIR[_lang(language)].format(problems=listed, question=question)


def _lang(language: str) -> str:
    return "en" if language == "en" else "nl"


def validated_draft_chain(
    generator: Generator,
    sources: list[Source],
    language: str,
    embedder: Embedder | None = None,
    on_token: Callable[[str], None] | None = None,
) -> Runnable[dict[str, Any], ValidationResult]:
    """The LLM path as one LCEL chain: the generator's draft (prompt | chat model | parser),
    streamed piece by piece into the validation step, which yields the verdict.

    Input: ``{"question", "sources", "language"}``. ``on_token`` sees each piece as it passes.
    """

    def draft(inputs: Iterator[dict[str, Any]]) -> Iterator[str]:
        for x in inputs:
            yield from generator.stream(x["question"], x["sources"], x["language"])

    def validation(pieces: Iterator[str]) -> Iterator[ValidationResult]:
        raw: list[str] = []
        for piece in pieces:
            raw.append(piece)
            if on_token is not None:
                on_token(piece)
        yield validate("".join(raw), sources, embedder=embedder, language=language)

    return RunnableGenerator(draft) | RunnableGenerator(validation)


def generate_validated(
    generator: Generator,
    question: str,
    sources: list[Source],
    language: str,
    embedder: Embedder | None = None,
    on_token: Callable[[str], None] | None = None,
    on_attempt: Callable[[int], None] | None = None,
) -> tuple[ValidationResult, str]:
    """Draft, validate, repair once. Returns the last verdict and a notice ("" when ``ok``).

    ``on_token`` receives the raw text as it streams; ``on_attempt(2)`` says a repair starts,
    so a front end can clear what it showed of the rejected draft. When the result is not
    ``ok`` the caller shows the extractive answer below the notice.
    """
    lang = _lang(language)
    result: ValidationResult | None = None
    prompt = question
    for attempt in (1, 2):
        if on_attempt is not None:
            on_attempt(attempt)
        chain = validated_draft_chain(generator, sources, language, embedder, on_token)
        try:
            *_, result = chain.stream(
                {"question": prompt, "sources": sources, "language": language}
            )
        except GeneratorError as exc:
            failed = ValidationResult(ok=False, problems=[str(exc)])
            return failed, NOTICES[lang]["failed"].format(reason=exc)
        if result.ok:
            return result, ""
        prompt = repair_question(question, result.problems, language)
    assert result is not None
    return result, NOTICES[lang]["unsupported"]


@dataclass(frozen=True)
class Drafted:
    """The end of a streamed draft: its validation, and the notice when it failed ("" when
    the generator itself broke: the caller says so in its own words)."""

    result: ValidationResult
    notice: str


def stream_validated(
    generator: Generator, question: str, sources: list[Source], lang: str, embedder: Embedder
) -> Iterator[str | Drafted | None]:
    """:func:`generate_validated` in a worker thread, so that its tokens can be shown as they
    arrive: each token's text, None when a repair attempt starts over, and last the
    :class:`Drafted` result. A broken provider ends the draft; it never raises."""
    events: queue.Queue[str | Drafted | None] = queue.Queue()

    def work() -> None:
        try:
            result, notice = generate_validated(
                generator, question, sources, lang, embedder=embedder,
                on_token=events.put,
                on_attempt=lambda n: events.put(None) if n > 1 else None,
            )  # fmt: skip
            events.put(Drafted(result, notice))
        except Exception as exc:  # a broken provider must not kill the chat
            problem = str(exc) or type(exc).__name__
            events.put(Drafted(ValidationResult(ok=False, problems=[problem]), ""))

    threading.Thread(target=work, daemon=True, name="llm-draft").start()
    while not isinstance(event := events.get(), Drafted):
        yield event
    yield event
