"""jeugdakkoord's retrieval as a LangChain retriever, for teams that build their own chains.

    from assistant.retrieval.langchain_retriever import JeugdakkoordRetriever
    docs = JeugdakkoordRetriever.from_settings(Settings.from_env(), k=5).invoke("marktwerking")

Each ``Document`` is one chunk (its exact text) with the chunk's metadata (document, title,
publisher, date, pages, section, item, kind, character offsets) and the retrieval scores
(fused score and rank, dense and lexical ranks, dense similarity, reranker score).
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.core.settings import Settings
from assistant.core.types import SearchHit
from assistant.retrieval.retriever import Retriever


def to_document(hit: SearchHit) -> Document:
    """One search hit as a LangChain ``Document``: chunk text, chunk metadata and scores."""
    meta: dict[str, Any] = dict(hit.chunk.to_metadata())
    meta.update(
        score=hit.score,
        rank=hit.rank,
        dense_rank=hit.dense_rank,
        lexical_rank=hit.lexical_rank,
        dense_score=hit.dense_score,
        rerank_score=hit.rerank_score,
        location=hit.chunk.location(),
    )
    return Document(page_content=hit.chunk.text, metadata=meta, id=hit.chunk.chunk_id)


class JeugdakkoordRetriever(BaseRetriever):
    """The hybrid retriever (dense + BM25 + glossary, fused, optionally reranked) behind
    LangChain's retriever interface."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    k: int = 5
    #: Only search these documents (``doc_id``s); None searches all.
    doc_ids: list[str] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> JeugdakkoordRetriever:
        return cls(retriever=Retriever(settings), **kwargs)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.retriever.search(query, k=self.k, doc_ids=self.doc_ids)
        return [to_document(h) for h in hits]
