"""What the index holds and how it is kept: index generations (the atomic switch), the
embedding cache, the lexical (BM25) index and the records that get embedded.

Imports only ``assistant.core`` and ``assistant.providers`` (the vector-store and embedder
interfaces); ``ingest`` writes through this package and ``retrieval`` reads through it.
"""
