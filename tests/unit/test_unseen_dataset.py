"""Integrity of the unseen evaluation set (evals/datasets/unseen.jsonl, issue #24 item 5).

The gold snippets must be found in the text the ingest loaders produce (else a question can
never count as answered), the splits must not share a document (else dev tuning leaks into the
test figures), and the set must keep the mix the issue asks for. No model needed.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections import Counter
from functools import cache

import pytest

from assistant.core.text import match_key
from evals.unseen_set import DOCUMENTS, PROVENANCE, QUESTIONS, UnseenQuestion, load_unseen_questions
from ingest.loaders import load
from ingest.manifest import slug


@cache
def questions() -> tuple[UnseenQuestion, ...]:
    return tuple(load_unseen_questions())


@cache
def provenance() -> dict[str, dict[str, str]]:
    rows = tomllib.loads(PROVENANCE.read_text(encoding="utf-8"))["document"]
    return {slug(r["file"].rsplit(".", 1)[0]): r for r in rows}


@cache
def pages(doc_id: str) -> dict[int, str]:
    """The document's pages as the ingest loader reads them, in the matching form."""
    path = DOCUMENTS / provenance()[doc_id]["file"]
    return {n: match_key(text) for n, text in load(path).pages}


def docs_of(q: UnseenQuestion) -> set[str]:
    return {g.doc_id for g in q.gold} | set(q.scope)


def test_rows_are_complete_and_ids_unique() -> None:
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    fields = {"id", "question", "language", "answerable", "type", "scope", "gold", "split"}
    for r in rows:
        assert fields <= set(r), r["id"]
        assert r["language"] in ("nl", "en") and r["split"] in ("dev", "test"), r["id"]
        assert r["answerable"] == bool(r["gold"]), f"{r['id']}: answerable iff gold"


def test_documents_match_provenance_and_carry_no_manifest() -> None:
    files = {p.name for p in DOCUMENTS.iterdir()}
    assert "manifest.toml" not in files, "unseen documents are ingested as a user adds them"
    assert files == {r["file"] for r in provenance().values()}
    for row in provenance().values():
        digest = hashlib.sha256((DOCUMENTS / row["file"]).read_bytes()).hexdigest()
        assert digest == row["sha256"], row["file"]
    assert {r["file"].rsplit(".", 1)[1] for r in provenance().values()} >= {"pdf", "md"}


@pytest.mark.parametrize("q", questions(), ids=lambda q: q.id)
def test_gold_is_verbatim_in_the_loaded_text(q: UnseenQuestion) -> None:
    for g in q.gold:
        assert g.doc_id in provenance(), f"{q.id}: unknown document {g.doc_id}"
        text = pages(g.doc_id)
        key = match_key(g.snippet)
        if g.page is not None:
            found = [n for n, page in text.items() if key in page]
            assert g.page in found, f"{q.id}: {g.snippet!r} is on pages {found}, not {g.page}"
        else:
            assert any(key in page for page in text.values()), f"{q.id}: {g.snippet!r}"
    for item in q.items:
        docs = {g.doc_id for g in q.gold}
        assert any(match_key(item) in p for d in docs for p in pages(d).values()), item


def test_splits_are_disjoint_by_document() -> None:
    by_split: dict[str, set[str]] = {"dev": set(), "test": set()}
    for q in questions():
        by_split[q.split] |= docs_of(q)
    assert not by_split["dev"] & by_split["test"]
    for split, docs in by_split.items():
        assert all(provenance()[d]["split"] == split for d in docs), split


def test_counts_meet_the_issue_minimums() -> None:
    test = [q for q in questions() if q.split == "test"]
    dev = [q for q in questions() if q.split == "dev"]
    near_miss = [
        q for q in test if not q.answerable and any(t.startswith("near-miss:") for t in q.tags)
    ]
    assert len(test) >= 60 and len(dev) >= 30
    assert len(near_miss) >= 25
    assert sum(q.type == "quantity" and q.answerable for q in test) >= 15
    assert sum("number-in-words" in q.tags and q.answerable for q in test) >= 5
    assert sum(bool({"date-only", "ordinal-only"} & set(q.tags)) for q in test) >= 3
    assert sum(q.type == "comparison" for q in test) >= 3
    for split in (test, dev):
        assert {q.language for q in split} == {"nl", "en"}
        assert sum(not q.answerable for q in split) >= 10
        assert sum(bool(q.scope) and q.answerable for q in split) >= 10
