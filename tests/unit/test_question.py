"""A question read once (issue #27): its reading equals reading the text, and its topic and
names come from that reading without reading again."""

from __future__ import annotations

import pytest

from assistant.core import question as question_module
from assistant.core.question import Question, read, text_of
from assistant.core.text import detect_language
from assistant.core.words import phrases, tokenize

QUESTIONS = [
    "Wat schrijven we op over marktwerking, open-house constructies en aanbesteden?",
    "What does the VNG-aanjager say about local teams?",
    "Hoeveel fte per lokaal team noemt de VNG-aanjager?",
    "Wat zegt het Zeister coalitieakkoord over jeugdzorg (en preventie)?",
    "  geïndexeerd   twee-derde  €3 miljard?  ",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_reading_equals_the_functions_it_replaces(text: str) -> None:
    q = Question.read(text)
    assert q.language == detect_language(text)
    assert q.tokens == tokenize(text)
    assert q.pairs == phrases(text)
    assert [w for w, _ in q.words] == text.split()
    assert all(list(stems) == tokenize(w) for w, stems in q.words)


def test_the_topic_leaves_out_the_names_and_keeps_the_language() -> None:
    q = Question.read("What does the VNG-aanjager say about lokale teams?")
    topic = q.without(["VNG-aanjager"])
    assert topic.text == "What does the say about lokale teams?"
    assert topic.language == q.language == "en"  # "lokale teams" alone would read as Dutch
    assert topic.tokens == tokenize(topic.text)
    assert q.without([]) is q and q.without(["Zeist"]) is q


def test_a_name_and_a_cut_word_are_read_from_the_question(monkeypatch: pytest.MonkeyPatch) -> None:
    q = Question.read("Hoeveel fte noemt de VNG-aanjager?")
    calls: list[list[str]] = []
    real = question_module.tokenize_words

    def counting(words: list[str]) -> list[tuple[str, ...]]:
        calls.append(list(words))
        return real(words)

    monkeypatch.setattr(question_module, "tokenize_words", counting)
    assert q.stems("VNG-aanjager") == tokenize("VNG-aanjager")  # "aanjager?" read already
    assert q.without(["VNG-aanjager"]).tokens == tokenize("Hoeveel fte noemt de ?")
    assert calls == []
    assert q.without(["VNG-aan"]).tokens == tokenize("Hoeveel fte noemt de jager?")
    assert calls == [["jager?"]]  # only the word the name cut in two


def test_read_and_text_of_take_either_form() -> None:
    q = Question.read("jeugdzorg")
    assert read(q) is q and read("jeugdzorg") == q
    assert text_of(q) == text_of("jeugdzorg") == "jeugdzorg"
