"""One question analysed for the answer path: what it names, what it asks, what it is about.

Built once per question (:func:`analyse`) and handed to retrieval, the relevance model, the
answerability checks and the composers, so none of them reads the question again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assistant.answering.answer_type import Quantity, asked_quantity
from assistant.answering.answerability import QUESTION_WORDS, topic_terms
from assistant.answering.concepts import Concept, key_concepts, key_phrases
from assistant.core.lexicon import Vocabulary
from assistant.core.question import Question
from assistant.retrieval.question_type import QuestionType, classify
from assistant.retrieval.scope import DocumentRecord, Scope, attributions, resolve


@dataclass(frozen=True)
class Analysis:
    """``question``: the standalone form (a follow-up completed from the conversation);
    ``asked``: the question as typed, whose names and numbers are checked against the
    corpus; ``topic``: the question without the words naming its documents."""

    question: Question
    asked: Question
    scope: Scope
    qtype: QuestionType
    topic: Question
    #: Rare stems the question is about that the corpus uses (answerability.topic_terms).
    terms: frozenset[str]
    #: What the question is about, rarest first; the first is the key concept.
    concepts: tuple[Concept, ...]
    #: Two-word phrases of the question the corpus uses, rarest first.
    phrases: tuple[Concept, ...]
    #: The kind of number a quantity question asks for (None: not a quantity question).
    quantity: Quantity | None

    @property
    def key(self) -> list[Concept]:
        """The concept a passage must speak of to answer: the question's rarest."""
        return list(self.concepts[:1])


def analyse(
    question: Question,
    documents: Iterable[DocumentRecord],
    idf: Mapping[str, float],
    vocabulary: Vocabulary,
    scoped: bool = True,
    asked: Question | None = None,
) -> Analysis:
    """``question`` read against the index: its scope among ``documents`` (unless not
    ``scoped``), type, topic terms (``idf``), concepts and phrases (``vocabulary``)."""
    scope = resolve(question.text, documents) if scoped else Scope()
    qtype = classify(question.text, len(scope.groups))
    # the words naming its documents, and whom it is asked of ("volgens de branche"): neither
    # is what the question is about
    mentioned = [m.text for m in scope.mentions] + attributions(question.text)
    topic = question.without(mentioned)
    return Analysis(
        question=question,
        asked=asked or question,
        scope=scope,
        qtype=qtype,
        topic=topic,
        terms=frozenset(topic_terms(topic, idf)),
        concepts=tuple(key_concepts(question, vocabulary, mentioned, QUESTION_WORDS)),
        phrases=tuple(key_phrases(question, vocabulary, mentioned, QUESTION_WORDS)),
        quantity=asked_quantity(question.text) if qtype == QuestionType.QUANTITY else None,
    )
