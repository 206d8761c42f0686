"""The ensemble's second dense view (USE v3 from its PyPI package): built beside the
embedder's vectors, fused into the ranking, switched off and on by a setting."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.core.settings import Settings
from assistant.providers.embeddings import get_embedder
from assistant.retrieval.retriever import Retriever, chunk_of
from assistant.store.index import open_store, read_current
from ingest.pipeline import ingest
from tests.conftest import small_corpus


def test_use_puts_dutch_and_english_paraphrases_together() -> None:
    use = get_embedder("use")
    assert use.model_id.startswith("use:multilingual-v3@") and use.dim == 512
    nl, en, other = np.array(
        use.embed_documents(
            [
                "Wij stoppen met marktwerking en het aanbesteden van jeugdzorg.",
                "We stop market forces and the tendering of youth care.",
                "De gemeente ruimt sneeuw op de fietspaden.",
            ]
        )
    )
    query = np.array(use.embed_query("What do we do about market forces in youth care?"))
    assert query @ nl > query @ other and nl @ en > nl @ other
    assert np.allclose(np.linalg.norm([nl, en, other], axis=1), 1.0, atol=1e-3)


def test_the_second_view_is_built_fused_and_follows_the_setting(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    on = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index", ensemble="use")
    first = ingest(on)
    gen = read_current(on.index_dir)
    assert gen is not None and gen.ensemble_collection == f"{gen.collection}-use"
    assert gen.ensemble_model_id == get_embedder("use").model_id
    store = open_store(on)
    # Every record has a vector in both views; the summary counts both.
    records = store.count(gen.collection)
    assert store.count(gen.ensemble_collection) == records and first.embedded == 2 * records
    store.close()

    with_view = Retriever(on)
    snap = with_view.snapshot()
    view = with_view._second_view(snap, with_view.encode("preventie in de wijk", snapshot=snap))
    assert view is not None and view[0] == gen.ensemble_collection and len(view[1][0]) == 512
    hits = with_view.search("prevention in the neighbourhood", k=2)
    assert hits[0].chunk.doc_id == "a"
    del with_view, snap  # no reader holds generation 1 any more: it can go when superseded

    # Switching it off rewrites the vectors (nothing to embed) and drops the old view.
    off = on.with_(ensemble="none")
    summary = ingest(off)
    assert not summary.up_to_date and summary.embedded == 0
    gen_off = read_current(off.index_dir)
    assert gen_off is not None and gen_off.ensemble_collection == ""
    assert ingest(off).up_to_date
    ingest(off, rebuild=True)  # the next generation prunes the one that still had a view
    assert not (on.index_dir / gen.vectors).exists()
    assert not [c for c in open_store(off).collections() if c.endswith("-use")]
    # A retriever that wants the view ignores an index without one.
    assert Retriever(on).search("preventie in de wijk", k=1)[0].chunk.doc_id == "a"


def test_the_second_view_keeps_only_what_a_document_filter_needs(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index", ensemble="use")
    assert ingest(settings).ok
    gen = read_current(settings.index_dir)
    assert gen is not None and gen.ensemble_collection
    client = open_store(settings).client  # type: ignore[attr-defined]
    full = client.get_collection(gen.collection).get(include=["metadatas", "documents"])
    lean = client.get_collection(gen.ensemble_collection).get(include=["metadatas", "documents"])
    doc_of = {rid: m["doc_id"] for rid, m in zip(full["ids"], full["metadatas"], strict=True)}
    # The second view: the same records, each with its document id and nothing else.
    assert sorted(lean["ids"]) == sorted(doc_of) and {"a", "b"} == set(doc_of.values())
    assert all(
        m == {"doc_id": doc_of[rid]} for rid, m in zip(lean["ids"], lean["metadatas"], strict=True)
    )
    assert not any(lean["documents"]) and all(full["documents"])
    assert any(len(m) > 3 for m in full["metadatas"])  # the embedder's view keeps chunk fields

    # A document filter still applies to the second view, and to the fused ranking.
    retriever = Retriever(settings)
    snap = retriever.snapshot()
    view = retriever._second_view(
        snap, retriever.encode("prevention in the neighbourhood", snapshot=snap)
    )
    assert view is not None
    only_b = snap.store.query(view[0], view[1][0], k=10, where={"doc_id": {"$in": ["b"]}})
    assert only_b and {snap.by_id[chunk_of(h.record_id)].doc_id for h in only_b} == {"b"}
    hits = retriever.search("prevention in the neighbourhood", k=2, doc_ids=["b"])
    assert hits and {h.chunk.doc_id for h in hits} == {"b"}
    assert retriever.search("prevention in the neighbourhood", k=1)[0].chunk.doc_id == "a"
