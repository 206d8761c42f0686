"""Text utilities shared by ingestion and retrieval: sentences, words, language, normalisation."""

from __future__ import annotations

import re
import unicodedata

from assistant.core.wordlists import ABBREVIATIONS, DUTCH_FUNCTION_WORDS, ENGLISH_FUNCTION_WORDS

_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def match_key(text: str) -> str:
    """Loose form for locating a quote in a passage: case, spacing and markup ignored."""
    text = unicodedata.normalize("NFKC", text).replace("**", "").replace("^", "")
    text = re.sub(r"(\w)-\s+(\w)", r"\1\2", text)  # a word hyphenated at a line end
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return normalize_space(text).casefold()


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether the full stop at ``end - 1`` closes a sentence (not an abbreviation or number)."""
    before = text[start:end].rstrip(".!?…\"'”’)]")
    token = re.split(r"\s", before)[-1] if before else ""
    token_l = token.lower().lstrip("(\"'‘“")
    if text[end - 1] == ".":
        if token_l in ABBREVIATIONS or token_l.rstrip(".") in ABBREVIATIONS:
            return False
        if len(token_l) == 1 and token_l.isalpha():  # an initial: "C. Dortmans"
            return False
        if token_l.isdigit() and before.strip() == token:  # a list number: "3. Investeer"
            return False
    rest = text[end:].lstrip()
    # A sentence continues when the next word starts in lower case ("art. 5 lid 2", "ca. tien").
    return not (rest and rest[0].islower())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text`` (Dutch abbreviations respected)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if not _ends_sentence(text, start, end):
            continue
        seg = text[start:end]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            spans.append((start + lead, end))
        start = end
    tail = text[start:]
    if tail.strip():
        lead = len(tail) - len(tail.lstrip())
        spans.append((start + lead, start + len(tail.rstrip())))
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def detect_language(text: str) -> str:
    """'en' or 'nl' from function-word counts; Dutch wins ties (the corpus language)."""
    toks = [w.lower() for w in words(text)]
    en = sum(t in ENGLISH_FUNCTION_WORDS for t in toks)
    nl = sum(t in DUTCH_FUNCTION_WORDS for t in toks)
    return "en" if en > nl else "nl"
