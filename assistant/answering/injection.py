"""Prompt-injection detection: the sentences of a document that address a language model
("Negeer alle eerdere instructies ...") rather than its reader.

Document text is data. The drafter never quotes such a sentence and the validator never
accepts one as evidence; both ask this module, so they agree on what an injection is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.core.sentences import Span, sentence_spans

#: Sentences addressed to a language model rather than to the reader of the document.
_INJECTION = re.compile(
    "|".join(
        [
            r"\b(?:negeer|vergeet|ignore|disregard|forget|overrule)\b[^.!?\n]{0,60}?"
            r"\b(?:instructies?|opdrachten|regels|prompts?|instructions?|rules|directions)\b",
            r"\b(?:je|jij) bent (?:nu|vanaf nu)\b",
            r"\byou are now\b",
            r"\bvanaf nu (?:ben|antwoord|schrijf|zeg)\b",
            r"\bfrom now on,? (?:you|answer|write|say|respond)\b",
            r"\bsyste(?:em|m)[ -]?(?:prompt|instructies?|bericht|message)\b",
            r"(?:^|[,:;]\s*|\b(?:en|and|maar|but)\s+)(?:schrijf|zeg|antwoord|vermeld|write|say"
            r"|answer|respond|reply)\s+(?:dat|alleen|uitsluitend|that|only|with)\b",
            r"\b(?:als|as an?) (?:taalmodel|language model|chatbot"
            r"|ai[- ]?(?:assistent|assistant|model))\b",
            r"<\|?\s*/?\s*(?:system|im_start|im_end|start_of_turn|end_of_turn|bron)\b",
            r"\[/?INST\]",
        ]
    ),
    re.I,
)


def injection_spans(text: str, spans: Sequence[Span] | None = None) -> list[Span]:
    """Those of ``spans`` (the sentences of ``text``; a chunk passes its stored ones) that
    instruct a model; they are never evidence."""
    spans = sentence_spans(text) if spans is None else spans
    return [(a, b) for a, b in spans if _INJECTION.search(text[a:b])]


def injection_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that are instructions to a model (see :data:`_INJECTION`)."""
    return [text[a:b] for a, b in injection_spans(text)]
