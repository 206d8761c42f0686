"""A relevance model of our own (issue #24): a small cross-encoder on e5-small's first layers
giving a calibrated probability that a passage or sentence answers a question.

:func:`check` says, without torch, whether the shipped weights are usable; :func:`load` gives
the model and a :class:`Status` whose message the caller shows when it falls back to the rules.
Training lives in ``evals/relevance`` (``make train-relevance``); nothing here trains.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.providers.rerankers.relevance.shipped import WEIGHTS_DIR, Status, check

if TYPE_CHECKING:
    from assistant.providers.rerankers.relevance.scorer import RelevanceModel

__all__ = ["WEIGHTS_DIR", "RelevanceModel", "Status", "check", "load"]


def load(
    folder: Path | None = None, model_dir: Path | None = None
) -> tuple[RelevanceModel | None, Status]:
    """The shipped (or ``folder``'s) model, or None and the one-line reason to fall back."""
    from assistant.providers.embeddings.e5_convert import default_cache_dir

    folder = folder or WEIGHTS_DIR
    _, status = check(folder)
    if not status.ok:  # before importing torch: it may be what is missing
        return None, status
    from assistant.providers.rerankers.relevance.scorer import load as load_scorer

    return load_scorer(folder, model_dir or default_cache_dir())
