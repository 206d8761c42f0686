"""Text utilities shared by ingestion and retrieval: words, language, normalisation (sentences:
:mod:`assistant.core.sentences`)."""

from __future__ import annotations

import re
import unicodedata

from assistant.core.vocabulary import vocabulary_language
from assistant.core.wordlists import DUTCH_FUNCTION_WORDS, ENGLISH_FUNCTION_WORDS

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def match_key(text: str) -> str:
    """Loose form for locating a quote in a passage: case, spacing and markup ignored."""
    text = unicodedata.normalize("NFKC", text).replace("**", "").replace("^", "")
    text = re.sub(r"(\w)-\s+(\w)", r"\1\2", text)  # a word hyphenated at a line end
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return normalize_space(text).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def detect_language(text: str) -> str:
    """'en' or 'nl' from function-word counts; on a tie (a short topic such as "local
    teams" has none) from the glossary's policy words; else Dutch (the corpus language)."""
    toks = [w.lower() for w in words(text)]
    en = sum(t in ENGLISH_FUNCTION_WORDS for t in toks)
    nl = sum(t in DUTCH_FUNCTION_WORDS for t in toks)
    if en != nl:
        return "en" if en > nl else "nl"
    return vocabulary_language(text) or "nl"


#: A body named by its domain: "Ministerie van Volksgezondheid, Welzijn en Sport".
_BODY_OF = re.compile(r"^[^,]*\s(?:van|voor|of|for)\s")


def names_one_body(name: str) -> bool:
    """Whether a publisher's name is one body named by its domain ("Ministerie van Sociale
    Zaken en Werkgelegenheid"), not a list of parties ("VVD, D66, CDA en ChristenUnie"):
    its "en" joins the domain's parts."""
    return bool(_BODY_OF.search(name))
