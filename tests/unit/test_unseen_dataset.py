"""Integrity of the unseen evaluation sets (evals/datasets/unseen*.jsonl, issue #24 item 5).

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
from evals.unseen_set import SETS, UnseenQuestion, UnseenSet, load_unseen_questions
from ingest.loaders import load
from ingest.manifest import slug

NAMES = sorted(SETS)


@cache
def questions(name: str) -> tuple[UnseenQuestion, ...]:
    return tuple(load_unseen_questions(SETS[name].questions))


@cache
def provenance(name: str) -> dict[str, dict[str, str]]:
    rows = tomllib.loads(SETS[name].provenance.read_text(encoding="utf-8"))["document"]
    return {slug(r["file"].rsplit(".", 1)[0]): r for r in rows}


@cache
def pages(name: str, doc_id: str) -> dict[int, str]:
    """The document's pages as the ingest loader reads them, in the matching form."""
    path = SETS[name].documents / provenance(name)[doc_id]["file"]
    return {n: match_key(text) for n, text in load(path).pages}


def docs_of(q: UnseenQuestion) -> set[str]:
    return {g.doc_id for g in q.gold} | set(q.scope)


@pytest.mark.parametrize("name", NAMES)
def test_rows_are_complete_and_ids_unique(name: str) -> None:
    rows = [json.loads(line) for line in SETS[name].questions.read_text("utf-8").splitlines()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    fields = {"id", "question", "language", "answerable", "type", "scope", "gold", "split"}
    for r in rows:
        assert fields <= set(r), r["id"]
        assert r["language"] in ("nl", "en") and r["split"] in ("dev", "test"), r["id"]
        assert r["answerable"] == bool(r["gold"]), f"{r['id']}: answerable iff gold"


@pytest.mark.parametrize("name", NAMES)
def test_documents_match_provenance_and_carry_no_manifest(name: str) -> None:
    which: UnseenSet = SETS[name]
    files = {p.name for p in which.documents.iterdir()}
    assert "manifest.toml" not in files, "unseen documents are ingested as a user adds them"
    assert files == {r["file"] for r in provenance(name).values()}
    for row in provenance(name).values():
        digest = hashlib.sha256((which.documents / row["file"]).read_bytes()).hexdigest()
        assert digest == row["sha256"], row["file"]
        assert row["split"] in ("dev", "test") and row["licence"], row["file"]


def test_the_first_set_holds_pdf_and_markdown() -> None:
    assert {r["file"].rsplit(".", 1)[1] for r in provenance("unseen").values()} >= {"pdf", "md"}


def test_the_sets_share_no_document() -> None:
    first, second = (set(provenance(n)) for n in ("unseen", "unseen2"))
    assert not first & second


@pytest.mark.parametrize(
    ("name", "q"), [(n, q) for n in NAMES for q in questions(n)], ids=lambda v: getattr(v, "id", v)
)
def test_gold_is_verbatim_in_the_loaded_text(name: str, q: UnseenQuestion) -> None:
    for g in q.gold:
        assert g.doc_id in provenance(name), f"{q.id}: unknown document {g.doc_id}"
        text = pages(name, g.doc_id)
        key = match_key(g.snippet)
        if g.page is not None:
            found = [n for n, page in text.items() if key in page]
            assert g.page in found, f"{q.id}: {g.snippet!r} is on pages {found}, not {g.page}"
        else:
            assert any(key in page for page in text.values()), f"{q.id}: {g.snippet!r}"
    for item in q.items:
        docs = {g.doc_id for g in q.gold}
        assert any(match_key(item) in p for d in docs for p in pages(name, d).values()), item


@pytest.mark.parametrize("name", NAMES)
def test_splits_are_disjoint_by_document(name: str) -> None:
    by_split: dict[str, set[str]] = {"dev": set(), "test": set()}
    for q in questions(name):
        by_split[q.split] |= docs_of(q)
    assert not by_split["dev"] & by_split["test"]
    for split, docs in by_split.items():
        assert all(provenance(name)[d]["split"] == split for d in docs), split


def test_the_second_set_meets_the_issue_minimums() -> None:
    """#24 item 5, over the whole set: both splits are other documents than round 1's."""
    rows = questions("unseen2")
    near_miss = [
        q for q in rows if not q.answerable and any(t.startswith("near-miss:") for t in q.tags)
    ]
    assert len(rows) >= 60 and len(near_miss) >= 25
    assert sum(q.type == "quantity" and q.answerable for q in rows) >= 15
    for split in ("dev", "test"):
        mine = [q for q in rows if q.split == split]
        assert {q.language for q in mine} == {"nl", "en"}, split
        assert sum(not q.answerable for q in mine) >= 10, split
        assert sum(bool(q.scope) and q.answerable for q in mine) >= 5, split


def test_counts_meet_the_issue_minimums() -> None:
    test = [q for q in questions("unseen") if q.split == "test"]
    dev = [q for q in questions("unseen") if q.split == "dev"]
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
