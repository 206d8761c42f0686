"""Train / dev by document: a document's every pair is in one split, decided by a seeded hash
of its id (stable when documents are added or removed). Dev documents fit the calibration and
choose thresholds; they never give training pairs."""

from __future__ import annotations

import hashlib

DEV_FRACTION = 0.1


def split_of(doc_id: str, seed: int, dev_fraction: float = DEV_FRACTION) -> str:
    digest = hashlib.sha256(f"{seed}:{doc_id}".encode()).digest()
    return "dev" if int.from_bytes(digest[:8], "big") / 2**64 < dev_fraction else "train"
