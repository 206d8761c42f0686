"""From ranked passages to a cited answer: evidence, the judge, the extractive answer, the
clause drafter, the validator, specifics and follow-up handling, Dutch morphology, export, the
optional LLM path and the answer slots (how many answers run at once). Imports core,
providers, store and retrieval. Positions and the chapter workspace are their own packages."""
