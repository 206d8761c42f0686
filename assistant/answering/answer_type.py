"""The kind of quantity a question asks for, and whether a sentence gives one.

"Hoe lang mag de wachttijd zijn?" needs a period, "welk bedrag" an amount of money, "welk
percentage" a share, "tot welke leeftijd" an age: a sentence that only gives a year ("vanaf
2024") or another kind of number answers none of them, however close it is to the question.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from enum import StrEnum

from assistant.answering.draft import Quote, content_sentences
from assistant.core.numbers import numbers
from assistant.core.vocabulary import fold
from assistant.core.words import tokenize
from assistant.retrieval.question_type import states_quantity


class Quantity(StrEnum):
    AGE = "age"
    SHARE = "share"
    PERIOD = "period"
    MONEY = "money"
    #: Staff in full-time equivalents: a unit, not paraphrased the way a counted noun is.
    STAFF = "staff"
    COUNT = "count"


#: What the question asks for, tried in this order (the first that matches decides).
_ASKS = (
    (Quantity.AGE, r"leeftijd|how old|what age|which age|age limit"),
    (Quantity.STAFF, r"fte|formatieplaats\w*|full[- ]time equivalents?"),
    (Quantity.SHARE, r"percentage|procent|aandeel|what share|which share|proportion|welk deel"),
    (
        Quantity.PERIOD,
        r"hoe lang|how long|wachttijd\w*|waiting time|termijn|duur|duration|hoeveel tijd|"
        r"how much time|hoe snel|hoe spoedig|how quickly|how soon|how fast|"
        r"(?:hoeveel|how many) (?:[^\W\d_]*(?:jaar|jaren|maanden|weken|dagen|uur|uren)|years|"
        r"months|weeks|days|hours|working days)",
    ),
    (
        Quantity.MONEY,
        r"bedrag|geld|kost\w*|budget\w*|euro|amount|money|cost\w*|funding|how much will|"
        r"contribution|bijdrage|vergoeding",
    ),
)
#: A unit of time, also as the head of a compound ("werkdagen", "kalendermaanden",
#: "schooljaren": a Dutch compound is the kind of its last part).
_UNIT = (
    r"(?:[^\W\d_]*(?:dag|dagen|week|weken|maand|maanden|jaar|jaren|uur|uren)|"
    r"day|days|week|weeks|month|months|year|years|hour|hours|working days?|business days?)"
)
#: What follows a number for each kind ("zes weken", "half a year", "3 fte", "18 jaar").
_AFTER = {
    Quantity.PERIOD: re.compile(rf"\s*(?:(?:a|an|een)\s+)?{_UNIT}\b"),
    Quantity.STAFF: re.compile(r"\s*(?:fte|formatieplaats\w*|full[- ]time)\b"),
    Quantity.AGE: re.compile(r"\s*(?:jaar|years?)\b|-jarig|\+"),
}
#: Periods and staff counted without a number ("enkele weken", "a few months"), and the
#: periods of "at once" that answer "how soon" ("onverwijld", "zo spoedig mogelijk").
_VAGUE = re.compile(
    rf"\b(?:(?:enkele|several|a few)\s+(?:{_UNIT}|fte)|onverwijld|terstond|onmiddellijk|"
    r"direct|zo (?:spoedig|snel) mogelijk|immediately|without delay|as soon as possible)\b"
)
_GIVES = {
    Quantity.SHARE: re.compile(r"%|\bprocent\b|\bpercent\b"),
    Quantity.MONEY: re.compile(r"€|\beuro\b|\bmiljoen\b|\bmiljard\b|\bmillion\b|\bbillion\b"),
}
#: An age is also an ordinal ("na hun 18e", "tot hun achttiende"), but not "de derde".
_MIN_ORDINAL_AGE = 12
_MAX_AGE = 120
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: Question words a sentence further away in the passage must share to be its number's answer.
_FAR_SHARED = 2


def asked_quantity(question: str) -> Quantity:
    """The kind of number ``question`` asks for (COUNT when it names no particular kind)."""
    text = fold(question)
    for kind, words in _ASKS:
        if re.search(rf"\b(?:{words})\b", text):
            return kind
    return Quantity.COUNT


def gives(kind: Quantity, sentence: str) -> bool:
    """Whether ``sentence`` gives a number of that kind, in digits or in words
    (:mod:`assistant.core.numbers`); a year, a date or a list ordinal is never a quantity."""
    text = _YEAR.sub(" ", fold(sentence))
    if kind == Quantity.COUNT:
        return states_quantity(text)
    if kind in _GIVES and _GIVES[kind].search(text):
        return True
    if kind in (Quantity.PERIOD, Quantity.STAFF) and _VAGUE.search(text):
        return True
    for n in numbers(text, articles=True):
        if kind == Quantity.SHARE and n.kind in ("fraction", "ratio"):
            return True
        if (
            kind == Quantity.AGE
            and n.kind == "ordinal"
            and (_MIN_ORDINAL_AGE <= n.value <= _MAX_AGE or text[n.start].isdigit())
        ):
            return True
        after = _AFTER.get(kind)
        if n.is_quantity and after is not None and after.match(text, n.end):
            return kind != Quantity.AGE or n.value <= _MAX_AGE
    return False


def _shared(terms: Collection[str], tokens: Collection[str]) -> int:
    """How many of ``terms`` a sentence's ``tokens`` use, a stem also by its inflections
    ("beslis": "beslist", "beslissing")."""
    return sum(
        any(t == s or (min(len(s), len(t)) >= 5 and t.startswith(s)) for t in tokens) for s in terms
    )


def with_quantity(quote: Quote, kind: Quantity, terms: Collection[str] = ()) -> Quote:
    """``quote``, or the sentence next to it that gives the ``kind`` of number the question
    asks for when the quoted one does not ("... defensie-uitgaven. Structureel trekken we €3
    miljard uit."). A number further away in the passage is about something else, unless its
    sentence shares more of the question's words (``terms``: stems) than any other giving
    one: a law article's fifth paragraph "De rechter beslist binnen drie dagen" answers how
    soon the court decides, four paragraphs below the one quoted."""
    if gives(kind, quote.text):
        return quote
    chunk = quote.hit.chunk
    spans = content_sentences(chunk)
    at = next((i for i, (a, b) in enumerate(spans) if a <= quote.start < b), None)
    if at is None:
        return quote
    for i in (at + 1, at - 1):
        if 0 <= i < len(spans) and gives(kind, chunk.text[spans[i][0] : spans[i][1]]):
            return replace(quote, start=spans[i][0], end=spans[i][1])
    shared = [
        (_shared(terms, tokenize(chunk.text[a:b])), a, b)
        for a, b in spans
        if gives(kind, chunk.text[a:b])
    ]
    best = max(shared, default=(0, 0, 0))
    if best[0] >= _FAR_SHARED and sum(n == best[0] for n, _, _ in shared) == 1:
        return replace(quote, start=best[1], end=best[2])
    return quote
