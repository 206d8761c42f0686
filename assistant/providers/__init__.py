"""Pluggable providers behind small interfaces: embedders, vector stores, rerankers and
generators. They sit just above ``assistant.core`` and import nothing else of the project, so
``store``, ``ingest`` and ``retrieval`` can all use them."""
