"""One ask reads its question once (issue #27): language detection and tokenizing of the
question, or of any part of it, happen in one place, traced over a real answer."""

from __future__ import annotations

import sys
from collections import Counter
from types import FrameType
from typing import Any

import pytest

from assistant.answering.answer import Assistant
from assistant.core import text, words
from assistant.core.settings import Settings

PUNCTUATION = ".,;:!?\"'()"
#: The functions that read text: the question must pass through each at most once.
READERS = {
    text.detect_language.__code__: "detect_language",
    words.tokenize.__code__: "tokenize",
    words.tokenize_words.__code__: "tokenize_words",
}


def _reads(assistant: Assistant, question: str, history: list[str] | None = None) -> Counter[str]:
    """How often the readers saw the question or a piece of it during one ask."""
    own = {w.strip(PUNCTUATION).lower() for w in question.split()} - {""}
    seen: Counter[str] = Counter()

    def of_question(arg: Any) -> bool:
        """The question or a run of its own words (a compound's part is no reading of it)."""
        texts = arg if isinstance(arg, list) else [arg]
        return any(
            isinstance(t, str)
            and bool(t.split())
            and all(w.strip(PUNCTUATION).lower() in own for w in t.split())
            for t in texts
        )

    def profile(frame: FrameType, event: str, _: Any) -> None:
        name = READERS.get(frame.f_code)
        if event == "call" and name is not None:
            arg = frame.f_locals.get("text", frame.f_locals.get("words"))
            if of_question(arg):
                seen[name] += 1

    sys.setprofile(profile)
    try:
        answer = assistant.ask(question, history=history)
    finally:
        sys.setprofile(None)
    assert answer.answer
    return seen


QUESTIONS = [
    "Wat schrijven we op over marktwerking en aanbesteden?",
    "Hoeveel fte per lokaal team noemt de VNG-aanjager?",
    "What do Jeugdzorg Nederland and the VNG say about market forces?",
    "Welke aanbevelingen doet de VNG-aanjager?",
    "Wat zegt de VNG over de openingstijden van het jongerencentrum?",
]


@pytest.fixture(scope="module")
def assistant(distractor_index: Settings) -> Assistant:
    """Warm: models loaded, and the glossary wordings a question meets stemmed once per
    process (a glossary wording equal to a question word is no reading of the question)."""
    ready = Assistant(distractor_index)
    for question in QUESTIONS:
        ready.ask(question)
    return ready


@pytest.mark.parametrize("question", QUESTIONS)
def test_one_ask_detects_the_language_and_tokenizes_the_question_once(
    assistant: Assistant, question: str
) -> None:
    reads = _reads(assistant, question)
    assert reads["detect_language"] == 1, reads
    assert reads["tokenize"] + reads["tokenize_words"] == 1, reads


def test_a_follow_up_reads_the_typed_question_and_its_standalone_form_once_each(
    assistant: Assistant,
) -> None:
    question = "En wat zegt Jeugdzorg Nederland daarover?"
    reads = _reads(assistant, question, history=["Wat zegt de VNG over marktwerking?"])
    assert reads["detect_language"] <= 2 and reads["tokenize_words"] <= 2, reads
    assert reads["tokenize"] == 0, reads
