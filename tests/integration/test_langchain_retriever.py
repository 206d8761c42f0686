"""The retriever as a LangChain ``BaseRetriever``: the same hits as ``search``, as Documents
with the chunk metadata and scores, usable in an LCEL chain."""

from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda

from assistant.retrieval.langchain_retriever import JeugdakkoordRetriever
from assistant.retrieval.retriever import Retriever

MARKET = "Wat schrijven we op over marktwerking?"


def test_documents_are_the_search_hits_with_metadata_and_scores(retriever: Retriever) -> None:
    lc = JeugdakkoordRetriever(retriever=retriever, k=4)
    assert isinstance(lc, BaseRetriever)
    docs = lc.invoke(MARKET)
    hits = retriever.search(MARKET, k=4)
    assert [d.id for d in docs] == [h.chunk.chunk_id for h in hits]
    for doc, hit in zip(docs, hits, strict=True):
        assert isinstance(doc, Document) and doc.page_content == hit.chunk.text
        meta = doc.metadata
        assert (meta["doc_id"], meta["page_start"], meta["item"]) == (
            hit.chunk.doc_id,
            hit.chunk.page_start,
            hit.chunk.item,
        )
        assert meta["score"] == hit.score and meta["rank"] == hit.rank
        assert meta["dense_rank"] == hit.dense_rank and meta["lexical_rank"] == hit.lexical_rank
        assert "rerank_score" in meta and meta["location"] == hit.chunk.location()


def test_document_filter_and_use_in_a_chain(retriever: Retriever) -> None:
    doc_id = retriever.search(MARKET, k=1)[0].chunk.doc_id
    lc = JeugdakkoordRetriever(retriever=retriever, k=3, doc_ids=[doc_id])
    chain = lc | RunnableLambda(lambda docs: sorted({d.metadata["doc_id"] for d in docs}))
    assert chain.invoke("jeugdzorg") == [doc_id]
