"""Follow-up questions ("en wat over het budget?") made standalone from the conversation."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.core.text import words
from assistant.core.wordlists import ANAPHORA

_FOLLOWUP_START = re.compile(
    r"^\s*(en|maar|ook|daarnaast|verder|and|but|also|what about|how about|and what|en wat|"
    r"hoe zit het met|wat dan met|en hoe|en waarom|and how|and why)\b",
    re.I,
)


def is_followup(question: str) -> bool:
    """A short question that opens like a continuation or leans on an earlier topic."""
    toks = [w.lower() for w in words(question)]
    if not toks:
        return False
    if _FOLLOWUP_START.match(question):
        return True
    return len(toks) <= 8 and any(t in ANAPHORA for t in toks)


def standalone_question(question: str, history: Sequence[str] | None) -> str:
    """The question to retrieve with: a follow-up carries the previous question's topic along.

    ``history`` holds the user's earlier questions, oldest first (answers are not needed: the
    topic is in the questions, and answer text would drown the new question).
    """
    if not history or not is_followup(question):
        return question
    previous = next((h for h in reversed(history) if h.strip()), "")
    return f"{question} ({previous})" if previous else question
