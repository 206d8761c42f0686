"""Training the relevance model (issue #24) from documents, without an LLM: the sources,
the pair generators, the split by document, BM25-mined hard negatives and the training run
behind ``make train-relevance``. Never imported by the product at run time."""
