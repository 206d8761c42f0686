"""From a question to ranked passages: query forms (glossary expansion), dense and lexical
search, rank fusion and the optional reranker. Imports core, providers and store."""
