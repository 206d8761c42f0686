"""Pluggable providers: embedding models, vector stores (and, later, generators)."""
