"""A question read once: its language, its words with their stems, its phrases.

Retrieval, the answerability checks, the relevance model and the composers all read the same
question; reading it here once (one language detection, one pass of folding and stemming)
keeps them from disagreeing and from repeating the work (issue #27). Its topic, the question
without the words that name its documents, is derived from it without reading again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from assistant.core.text import detect_language
from assistant.core.words import phrases, tokenize_words

#: What may surround a word without being part of it.
_PUNCTUATION = ".,;:!?\"'‘’“”()[]"


@dataclass(frozen=True)
class Question:
    """``text`` on one line; ``language`` "nl" or "en"; ``words`` each whitespace-separated
    word with its stems (:func:`~assistant.core.words.tokenize` of the word alone)."""

    text: str
    language: str
    words: tuple[tuple[str, tuple[str, ...]], ...] = field(repr=False)

    @classmethod
    def read(cls, text: str, language: str | None = None) -> Question:
        """``text`` read: split into words, folded and stemmed in one pass, its language
        detected unless ``language`` is given."""
        split = text.split()
        stems = tokenize_words(split)
        return cls(text, language or detect_language(text), tuple(zip(split, stems, strict=True)))

    @cached_property
    def tokens(self) -> list[str]:
        """The stems of the whole question, in order (= ``tokenize(text)``)."""
        return [s for _, stems in self.words for s in stems]

    @cached_property
    def pairs(self) -> list[tuple[str, str]]:
        """Its adjacent content-word pairs (:func:`~assistant.core.words.phrases`)."""
        return phrases(self.text)

    def stems(self, text: str) -> list[str]:
        """The stems of ``text``, a part of the question (a name it mentions): its words'
        stems as read; only a word cut in two is read anew."""
        return [s for _, stems in self._words_of(text.split()) for s in stems]

    def without(self, names: Sequence[str]) -> Question:
        """The question with ``names`` (the words naming its documents) left out: its topic,
        in the question's language. The question itself when nothing was left out."""
        topic = self.text
        for name in names:
            topic = topic.replace(name, " ")
        if topic == self.text:
            return self
        return Question(" ".join(topic.split()), self.language, self._words_of(topic.split()))

    @cached_property
    def _known(self) -> dict[str, tuple[str, ...]]:
        """Each word's stems, also under the word without its punctuation ("aanjager?" is
        read as "aanjager"): punctuation never makes a stem."""
        known = dict(self.words)
        for word, stems in self.words:
            known.setdefault(word.strip(_PUNCTUATION), stems)
        return known

    def _words_of(self, split: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        known = self._known
        fresh = [w for w in split if w not in known and any(ch.isalnum() for ch in w)]
        read_now = dict(zip(fresh, tokenize_words(fresh), strict=True)) if fresh else {}
        return tuple((w, known[w] if w in known else read_now.get(w, ())) for w in split)


def read(question: str | Question) -> Question:
    """``question`` as a :class:`Question` (read now when it is text)."""
    return question if isinstance(question, Question) else Question.read(question)


def text_of(question: str | Question) -> str:
    """The text of ``question``, read or not (a model reads text)."""
    return question.text if isinstance(question, Question) else question
