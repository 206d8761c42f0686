"""What each retriever sees of a chunk: the dense text, extra key vectors, the BM25 text.

Kept in one place because ingestion writes these and retrieval depends on how they were made.
"""

from __future__ import annotations

from assistant.core.divisions import retrieval_heading
from assistant.core.passages import embedding_text, redaction_marks, sentence_units, strip_marks
from assistant.core.types import Chunk
from assistant.core.words import tokenize

#: Bump when what the retrievers see of a chunk changes: the next ingest rebuilds the index.
REPRESENTATION_VERSION = "4"


def key_records(chunk: Chunk, with_sentences: bool = True) -> list[tuple[str, str]]:
    """Extra vectors per chunk: its key phrases (item titles, bold text) with the heading, and
    each sentence. A paraphrase of one sentence matches that sentence far better than the
    whole ~1000-character chunk, whose vector averages many topics."""
    out = []
    for i, key in enumerate(chunk.keys):
        if key == chunk.section:
            continue
        heading = retrieval_heading(chunk.section)
        out.append((f"{chunk.chunk_id}#k{i}", f"{heading}: {key}" if heading else key))
    if with_sentences:
        # A sentence repeated within the chunk gets one vector (its first place): duplicates
        # add nothing and many identical vectors degrade the HNSW graph's recall.
        seen: set[str] = set()
        for i, (sentence, _) in enumerate(sentence_units(chunk)):
            if sentence not in seen:
                seen.add(sentence)
                out.append((f"{chunk.chunk_id}#s{i}", sentence))
    return out


#: ``auto`` skips sentence vectors for these document types (manifest ``type``) ...
NO_SENTENCE_TYPES = frozenset({"law"})
#: ... and for documents of more chunks than this (a whole law book, an annual report): their
#: sentences are ~80% of the embedding work, while advisory letters are a few dozen chunks.
AUTO_SENTENCE_MAX_CHUNKS = 300


def vector_plan(mode: str, doc_type: str, chunks: int, prefix_chars: int = 0) -> str:
    """Which vectors a document's chunks get (recorded per file in the index state):

    ``all``: chunk, key phrases and sentences; ``chunk``: chunk and key phrases only;
    ``prefix:N``: like ``chunk`` but the chunk vector embeds only its first N characters
    (the scale benchmark's cheap setting; never the default).
    """
    if mode == "all" or (
        mode == "auto" and doc_type not in NO_SENTENCE_TYPES and chunks <= AUTO_SENTENCE_MAX_CHUNKS
    ):
        return "all"
    return f"prefix:{prefix_chars}" if prefix_chars > 0 else "chunk"


def vector_records(chunk: Chunk, plan: str) -> list[tuple[str, str, str]]:
    """(record id, text to embed, record kind) of one chunk under a :func:`vector_plan`."""
    text = embedding_text(chunk)
    if plan.startswith("prefix:"):
        text = text[: int(plan.split(":", 1)[1])]
    out = [(chunk.chunk_id, text, "chunk")]
    out.extend((rid, t, "key") for rid, t in key_records(chunk, with_sentences=plan == "all"))
    return out


def lexical_text(chunk: Chunk) -> str:
    """What BM25 sees: the text plus its section and key phrases."""
    return "\n".join([retrieval_heading(chunk.section), *chunk.keys, strip_marks(chunk.text)])


def lexical_tokens(chunk: Chunk) -> tuple[list[str], set[str]]:
    """``tokenize(lexical_text(chunk))`` for BM25 and ``set(tokenize(chunk.text))`` for the idf
    table, with the body tokenized once (tokenizing is most of the lexical indexing time).

    The idf table weighs question words found in chunk *text* (quotes, specifics), so it counts
    the text as it is: the body's tokens plus those of its redaction marks, which BM25 skips.
    Tokens never span a line break or a mark, so the parts tokenize as the whole would.
    """
    body = tokenize(strip_marks(chunk.text))
    heading = tokenize("\n".join([retrieval_heading(chunk.section), *chunk.keys]))
    marks = tokenize(" ".join(redaction_marks(chunk.text)))
    return heading + body, set(body).union(marks)
