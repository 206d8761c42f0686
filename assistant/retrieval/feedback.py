"""Which stored verdicts apply to a question (issue #28): the verdict store beside the index,
and the matching of a new question against the judged ones.

A question is close to a judged one when its standalone form is the same (folded), or when
the cosine of their question vectors reaches :data:`SIMILAR`. Only live verdicts match: one on
a passage whose text changed since (stale) or whose document is gone (orphaned) is never
given to other text.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.core.feedback import Judgement
from assistant.core.types import Chunk
from assistant.core.vocabulary import fold
from assistant.store.feedback import READ_WAIT_S, FeedbackStore, Vectors

#: Cosine of two questions' vectors (the embedder's, unit length) from which they count as
#: the same question: the next hundredth above the closest pair of different dev questions
#: (0.882 of 694 pairs without a shared gold passage; `python -m evals.feedback_threshold`).
#: The dataset's paraphrases avoid each other's words on purpose (1 of 9 pairs reaches it);
#: a re-asked question in other words usually does, a different need did not once.
SIMILAR = 0.89

#: Positions of the judgements by their folded standalone form.
FormIndex = dict[str, list[int]]


@dataclass
class Matched:
    """The live verdicts on questions close to one question, oldest first, and the passage
    vectors stored with them (by judgement id)."""

    judgements: list[Judgement] = field(default_factory=list)
    passage_vectors: dict[int, np.ndarray] = field(default_factory=dict)


def form(question: str) -> str:
    """A question's standalone form as compared: folded, single spaces."""
    return fold(" ".join(question.split()))


class FeedbackIndex:
    """The verdict store opened for matching: its rows (:class:`FeedbackStore`) and, per read
    of them, the folded forms, so that an answer costs a look-up and one matrix product."""

    def __init__(self, path: Path) -> None:
        self.store = FeedbackStore(path)
        self._forms: tuple[Vectors, FormIndex] | None = None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.store.path

    def _same_form(self, vectors: Vectors) -> FormIndex:
        cached = self._forms
        if cached is not None and cached[0] is vectors:
            return cached[1]
        forms: FormIndex = {}
        for i, j in enumerate(vectors.judgements):
            forms.setdefault(form(j.standalone), []).append(i)
        with self._lock:
            self._forms = (vectors, forms)
        return forms

    def matching(
        self,
        standalone: str,
        vector: Callable[[], Sequence[float]],
        model_id: str,
        chunks: Mapping[str, Chunk],
        doc_ids: set[str],
    ) -> Matched:
        """The live verdicts on questions close to ``standalone``; ``vector`` embeds it,
        called only when there are verdicts. FeedbackUnavailable when the store cannot be
        read now (it waits :data:`READ_WAIT_S` at most)."""
        vectors = self.store.vectors(model_id, READ_WAIT_S)
        if not vectors.judgements:
            return Matched()
        same = np.zeros(len(vectors.judgements), dtype=bool)
        same[self._same_form(vectors).get(form(standalone), [])] = True
        question_vec = vector()
        if vectors.questions.shape[1] == len(question_vec):
            q = np.array(question_vec, dtype=np.float32)
            q /= float(np.linalg.norm(q)) or 1.0
            same |= vectors.questions @ q >= SIMILAR
        found = Matched()
        for i in np.flatnonzero(same):
            j = vectors.judgements[int(i)]
            if j.in_index(chunks, doc_ids) == "live":
                found.judgements.append(j)
                if j.id in vectors.passages:
                    found.passage_vectors[j.id] = vectors.passages[j.id]
        return found
