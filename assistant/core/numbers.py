"""Numbers in text, in digits or in words, Dutch and English: "zes weken", "eenentwintig",
"een half jaar", "twee derde", "drie op de tien", "anderhalf", "two thirds", "1.000".

One reader for everything that compares numbers: the quantity a question asks for
(:mod:`assistant.answering.answer_type`), the numbers a question names that the sources lack
(:mod:`assistant.answering.specifics`) and the LLM validator's number check. Each number has a
``kind``: dates ("1 januari 2027"), years and ordinals ("na hun 21e", "eenentwintigste") are
numbers a paraphrase must keep, but they are not quantities. Nor is a number that names a part
of a document ("artikel 5", "lid 3", "aanbeveling 4", "page 12"): a number after the noun names
something, a number before it counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from assistant.core.vocabulary import fold
from assistant.core.wordlists import DUTCH_MONTHS

__all__ = ["Number", "number_key", "numbers", "quantities", "word_value"]

_UNITS = {
    "nul": 0, "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
    "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
    "tachtig": 80, "negentig": 90, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
#: Multipliers, largest first (a Dutch compound is split on the largest it contains).
_SCALES = (
    ("miljard", 10**9), ("billion", 10**9), ("miljoen", 10**6), ("million", 10**6),
    ("duizend", 1000), ("thousand", 1000), ("honderd", 100), ("hundred", 100),
)  # fmt: skip
_SCALE = dict(_SCALES)
#: Fractions standing alone ("de helft", "anderhalf", "half a year"); "kwart" and "quarter"
#: only after a numerator ("een kwart", "three quarters"): "the first quarter" is a date.
_FRACTIONS = {
    "half": Fraction(1, 2), "halve": Fraction(1, 2), "helft": Fraction(1, 2),
    "driekwart": Fraction(3, 4), "anderhalf": Fraction(3, 2), "anderhalve": Fraction(3, 2),
}  # fmt: skip
#: Denominators after a numerator ("twee derde", "drie kwart", "two thirds", "a fifth").
_DENOMINATORS = {
    "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7, "achtste": 8,
    "negende": 9, "tiende": 10, "honderdste": 100, "kwart": 4,
    "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "tenth": 10, "tenths": 10,
    "half": 2, "halves": 2, "halve": 2,
}  # fmt: skip
#: Ordinal forms that are not the cardinal plus -de/-ste/-th.
_ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "achtste": 8, "first": 1, "second": 2,
    "third": 3, "fifth": 5, "eighth": 8, "ninth": 9, "twelfth": 12,
}  # fmt: skip
#: Words that are mostly the article or a pronoun ("een plan", "één loket", "one of them"):
#: a number only before a fraction or in a ratio, or when the reader asks (:func:`numbers`).
_ARTICLES = frozenset({"een", "one", "a", "an"})
_MONTHS = frozenset(
    {
        *DUTCH_MONTHS, "jan", "feb", "mrt", "apr", "jun",
        "jul", "aug", "sep", "sept", "okt", "nov", "dec", "january", "february", "march",
        "may", "june", "july", "august", "october",
    }
)  # fmt: skip
#: ASCII digits only: "²" and other Unicode digits are no numbers a text counts with.
_DIGITS = r"[0-9]+(?:[.,][0-9]{3})*(?:,[0-9]+)?"
_TOKEN = re.compile(rf"({_DIGITS})([a-z]{{1,3}}\b)?|[^\W\d_]+(?:-[^\W\d_]+)*", re.I)
#: The closed class of nouns that a document's parts are numbered by; a number right after
#: one is that part's name, not an amount ("bedoeld in artikel 5, eerste lid").
_PART_NOUNS = frozenset(
    {
        "artikel", "artikelen", "art", "lid", "paragraaf", "paragrafen", "hoofdstuk",
        "hoofdstukken", "afdeling", "titel", "bijlage", "onderdeel", "subonderdeel",
        "subonderdelen", "pagina", "blz", "bladzijde", "nr", "nummer", "punt", "stap", "fase",
        "aanbeveling", "tekstsuggestie", "kamerstuk", "kamerstukken", "tabel", "figuur",
        "article", "articles", "section", "sections", "chapter", "paragraph", "page", "pages",
        "annex", "appendix", "item", "step", "table", "figure", "no",
    }
)  # fmt: skip
_RATIO_DETERMINERS = frozenset({"de", "the", "every", "elke", "iedere", "ieder"})
#: What follows "ten" when it is the English number ("ten years", "one in ten.").
_TEN_NEXT = frozenset({"percent", "per", "times", "children", "people", "year", "month", "%"})
_YEAR = re.compile(r"(?:19|20)\d\d")
_DIGIT_ORDINAL = frozenset({"e", "ste", "de", "st", "nd", "rd", "th"})


@dataclass(frozen=True)
class Number:
    """A number found in a text: its span, its value and what sort of number it is."""

    start: int
    end: int
    value: Fraction
    #: cardinal | fraction | ratio | ordinal | date | year | part ("artikel 5")
    kind: str
    #: The ratio's numerator and denominator ("1 op de 7"), else None.
    ratio: tuple[Fraction, Fraction] | None = None

    @property
    def is_quantity(self) -> bool:
        """Dates, years, ordinals and the numbers of parts are numbers but no amounts."""
        return self.kind in ("cardinal", "fraction", "ratio")

    @property
    def key(self) -> str:
        """Spelling-independent form: "vier" and "4" are "4", "1.000" is "1000", "anderhalf"
        and "1,5" are "1,5", a ratio "1 op de 7" is "1/7", "twee derde" is "2/3"."""
        if self.ratio is not None:
            return f"{number_key(self.ratio[0])}/{number_key(self.ratio[1])}"
        return number_key(self.value)


def number_key(value: Fraction) -> str:
    """A value as the validator compares it: integers plain, decimals with a comma, other
    fractions as a/b."""
    if value.denominator == 1:
        return str(value.numerator)
    if all(p in (2, 5) for p in _prime_factors(value.denominator)):
        return f"{float(value):.6f}".rstrip("0").replace(".", ",")
    return f"{value.numerator}/{value.denominator}"


def _prime_factors(n: int) -> list[int]:
    out, p = [], 2
    while n > 1 and p * p <= n:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    return [*out, n] if n > 1 else out


@lru_cache(maxsize=4096)
def word_value(word: str) -> int | None:
    """The value of one cardinal number word, compounds included ("eenentwintig",
    "tweeduizendvijfhonderd", "honderdvijftig", "twenty-one"), else None."""
    w = fold(word).replace("-", "")
    if not w:
        return None
    if w in _UNITS:
        return _UNITS[w]
    if w in _TENS:
        return _TENS[w]
    for name, scale in _SCALES:
        head, sep, tail = w.partition(name)
        if not sep:
            continue
        h = 1 if not head else word_value(head)
        if tail.startswith(("en", "and")) and tail not in _UNITS:
            tail = tail[2:] if tail.startswith("en") else tail[3:]
        t = 0 if not tail else word_value(tail)
        if h is None or t is None or h >= scale or t >= scale:
            return None
        return h * scale + t
    m = re.fullmatch(r"(een|twee|drie|vier|vijf|zes|zeven|acht|negen)e?n(\w+ig)", w)
    if m and m.group(2) in _TENS:  # eenentwintig, tweeentwintig (folded tweeëntwintig)
        return _UNITS[m.group(1)] + _TENS[m.group(2)]
    m = re.fullmatch(r"(\w+ty)(one|two|three|four|five|six|seven|eight|nine)", w)
    if m and m.group(1) in _TENS:  # twenty-one, hyphen removed
        return _TENS[m.group(1)] + _UNITS[m.group(2)]
    return None


def _ordinal_value(word: str) -> int | None:
    """The value of an ordinal word ("eenentwintigste", "honderdste", "derde", "21st")."""
    w = fold(word).replace("-", "")
    if w in _ORDINALS:
        return _ORDINALS[w]
    for suffix in ("ste", "de", "th"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            value = word_value(w[: -len(suffix)])
            if value is not None:
                return value
    return None


def _half_compound(word: str) -> Fraction | None:
    """ "tweeënhalf", "drieënhalve": a number and a half in one word."""
    w = fold(word)
    m = re.fullmatch(r"(\w+?)e?n(?:half|halve)", w)
    if m and (v := word_value(m.group(1))) is not None:
        return v + Fraction(1, 2)
    return None


def _digit_value(text: str) -> Fraction:
    """ "1.000" and "1,000" as thousands, "7,5" a decimal comma."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text) and not re.fullmatch(r"\d+,\d{3}", text):
        return Fraction(int(re.sub(r"[.,]", "", text)))
    if re.fullmatch(r"\d+\.\d{3}", text):
        return Fraction(int(text.replace(".", "")))
    return Fraction(text.replace(".", "").replace(",", "."))


@dataclass
class _Tok:
    text: str
    low: str
    start: int
    end: int
    suffix: str = ""  # letters glued to digits ("21e", "18de")


def _digits(tok: _Tok) -> bool:
    """A token of ASCII digits ("²" is a letter-like symbol, not a digit of a number)."""
    return "0" <= tok.text[0] <= "9"


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        if m.group(1):
            out.append(
                _Tok(m.group(1), m.group(1), m.start(), m.end(1), (m.group(2) or "").lower())
            )
            if m.group(2) and m.group(2).lower() not in _DIGIT_ORDINAL:
                out[-1].suffix = ""  # "6x", "5km": a number glued to a unit
        else:
            out.append(_Tok(m.group(), fold(m.group()), m.start(), m.end()))
    return out


def _cardinal(tok: _Tok) -> Fraction | None:
    if _digits(tok):
        return None if tok.suffix else _digit_value(tok.text)
    if tok.low in _FRACTIONS:
        return _FRACTIONS[tok.low]
    if (half := _half_compound(tok.text)) is not None:
        return half
    value = word_value(tok.low)
    return None if value is None else Fraction(value)


def _adjacent(text: str, a: _Tok, b: _Tok) -> bool:
    """Two tokens separated by spaces only (no comma or full stop between)."""
    return not text[a.end : b.start].strip()


def _run(text: str, toks: list[_Tok], i: int) -> tuple[Fraction, int] | None:
    """A cardinal written in several words from token ``i`` ("twee miljoen", "one hundred
    and fifty", "2 miljard"): its value and the index after it."""
    first = _cardinal(toks[i])
    if first is None:
        return None
    total, current, j = Fraction(0), first, i + 1
    while j < len(toks) and _adjacent(text, toks[j - 1], toks[j]) and first.denominator == 1:
        low = toks[j].low
        if low == "and" and j + 1 < len(toks) and word_value(toks[j + 1].low) is not None:
            j += 1
            continue
        if low in _SCALE and current:
            if _SCALE[low] >= 1000:
                total, current = total + current * _SCALE[low], Fraction(0)
            else:
                current *= _SCALE[low]
        elif (
            (v := word_value(low)) is not None
            and v < 100
            and ((current == 0 and total) or (current >= 100 and current % 100 == 0))
        ):
            current += v  # "two hundred fifty", "twee miljoen vijfhonderd"
        else:
            break
        j += 1
    return total + current, j


def _ratio_link(toks: list[_Tok], j: int) -> int:
    """The index after "op de" / "van de" / "in every" / "out of" at ``j``, or -1."""
    words = [t.low for t in toks[j : j + 3]]
    if words[:2] == ["out", "of"]:
        k = j + 2
    elif words[:1] and words[0] in ("op", "van", "uit", "in"):
        k = j + 1
    else:
        return -1
    if k < len(toks) and toks[k].low in _RATIO_DETERMINERS:
        k += 1
    return k


def _english_ten(toks: list[_Tok], j: int) -> bool:
    """Dutch "ten" opens "ten minste", "ten behoeve", ...; the English number is followed by
    a plural, a unit or nothing."""
    if j >= len(toks):
        return True
    nxt = toks[j].low
    return nxt in _TEN_NEXT or (nxt.endswith("s") and not nxt.endswith("ens"))


def _near_month(toks: list[_Tok], i: int, end: int) -> bool:
    before = toks[i - 1].low if i > 0 else ""
    after = toks[end].low if end < len(toks) else ""
    return before in _MONTHS or after in _MONTHS


def _names_a_part(text: str, toks: list[_Tok], i: int, found: list[Number]) -> bool:
    """Whether the number at ``toks[i]`` follows a part noun ("artikel 5") or continues a
    part's dotted number ("artikel 8.1.1")."""
    if toks[i - 1].low in _PART_NOUNS:
        return True
    last = found[-1] if found else None
    return last is not None and last.kind == "part" and text[last.end : toks[i].start] == "."


def numbers(text: str, articles: bool = False) -> list[Number]:
    """Every number ``text`` states, in order; see the module docstring for the kinds.

    "een", "één" and "one" alone ("één loket", "one of them") count as 1 only with
    ``articles`` ("binnen een jaar" is a period); in a ratio or fraction they always do."""
    toks = _tokens(text)
    out: list[Number] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if _digits(tok) and tok.suffix:
            value = Fraction(int(re.sub(r"\D", "", tok.text) or 0))
            out.append(Number(tok.start, tok.end + len(tok.suffix), value, "ordinal"))
            i += 1
            continue
        run = _run(text, toks, i)
        if run is None and tok.low in ("a", "an"):
            run = (Fraction(1), i + 1)  # "a third", "a half"; dropped below when alone
        if run is None:
            if (o := _ordinal_value(tok.low)) is not None and tok.low not in ("second",):
                out.append(Number(tok.start, tok.end, Fraction(o), "ordinal"))
            i += 1
            continue
        value, j = run
        start, end = tok.start, toks[j - 1].end
        article = (
            j == i + 1 and tok.low in _ARTICLES and not (articles and tok.low in ("een", "one"))
        )
        # a ratio: "drie op de tien", "1 in 7", "one out of five"
        k = _ratio_link(toks, j) if value.denominator == 1 else -1
        den = _run(text, toks, k) if 0 <= k < len(toks) else None
        if (
            den is not None
            and den[0] > value
            and den[0].denominator == 1
            and not _YEAR.fullmatch(toks[k].text)  # "18 in 2025" is no ratio
        ):
            end = toks[den[1] - 1].end
            out.append(Number(start, end, value / den[0], "ratio", (value, den[0])))
            i = den[1]
            continue
        # a fraction: "twee derde", "drie kwart", "two thirds", "een half jaar"
        nxt = toks[j] if j < len(toks) and _adjacent(text, toks[j - 1], toks[j]) else None
        halves = nxt is not None and nxt.low in ("half", "halve", "halves")
        if (
            nxt is not None
            and value.denominator == 1
            and nxt.low in _DENOMINATORS
            and not (halves and value > 1)  # "twee halve dagen" is no fraction
        ):
            out.append(Number(start, nxt.end, value / _DENOMINATORS[nxt.low], "fraction"))
            i = j + 1
            continue
        if article:
            i = j
            continue
        if tok.low == "ten" and not _english_ten(toks, j):
            i = j
            continue
        if value.denominator != 1 and not _digits(tok):
            kind = "fraction"
        elif _digits(tok) and _near_month(toks, i, j):
            kind = "date"
        elif _YEAR.fullmatch(tok.text):
            kind = "year"
        elif _digits(tok) and i > 0 and _names_a_part(text, toks, i, out):
            kind = "part"
        else:
            kind = "cardinal"
        out.append(Number(start, end, value, kind))
        i = j
    return out


def quantities(text: str, articles: bool = False) -> list[Number]:
    """The numbers of ``text`` that are amounts: no dates, years or ordinals."""
    return [n for n in numbers(text, articles) if n.is_quantity]
