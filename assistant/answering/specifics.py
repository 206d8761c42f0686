"""Names and numbers a question asks about that the sources never mention.

The dense similarity that decides refusals cannot tell "what does the VNG say about waiting
times?" from "... about waiting times in Amsterdam?": both land on the same passage. A question
that names a place, person or organisation the whole corpus never mentions, or a number that
none of the retrieved passages contains, cannot be answered from them, however close the
passages are; the assistant says which words it could not find.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from assistant.answering.draft import content_sentences
from assistant.core.numbers import number_key
from assistant.core.numbers import numbers as numbers_of
from assistant.core.question import Question, read
from assistant.core.types import SearchHit
from assistant.core.vocabulary import fold
from assistant.core.wordlists import (
    CALENDAR_WORDS,
    DUTCH_MONTHS,
    ENGLISH_MONTHS,
    NAME_PARTICLES,
)
from assistant.core.words import tokenize
from assistant.retrieval.glossary import load_glossary
from assistant.retrieval.scope import names_a_source

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
#: A number in the question ("2027", "1.000", "7,5"); in passages also ordinals ("18e").
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_SENTENCE_END = re.compile(r"[.?!:;]\s*$")
#: A roman numeral numbers a part ("Bijlage II", "Rutte IV"), it names nothing by itself.
_ROMAN = re.compile(r"[IVXLC]+")


def _names(question: str) -> list[tuple[int, int, str]]:
    """Names: runs of capitalised words (with particles: "Marieke de Vries") that do not start
    a sentence, and acronyms of two capitals or more, with their spans. One letter never
    names ("I", a sentence's "A"); English capitalises months and weekdays, which name no
    one."""
    words = []
    for m in _WORD.finditer(question):
        word = re.sub(r"['’]s$", "", m.group()).strip("'’-")
        if word:
            words.append((m.start(), m.start() + len(word), word))
    names: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        while run and run[-1][2] in NAME_PARTICLES:  # "in de" after a name is not part of it
            run.pop()
        if run:
            names.append((run[0][0], run[-1][1], question[run[0][0] : run[-1][1]]))
        run.clear()

    for start, end, word in words:
        before = question[:start]
        starts_sentence = not before.strip() or bool(_SENTENCE_END.search(before))
        acronym = word.isupper() and len(word) > 1 and not _ROMAN.fullmatch(word)
        capital = (
            word[0].isupper()
            and len(word) > 1  # "I", a sentence's "A"
            and (acronym or not starts_sentence)
            and fold(word) not in CALENDAR_WORDS
        )
        gap = question[run[-1][1] : start] if run else ""
        if run and gap.strip():  # punctuation between words ends a name
            close()
        if capital or (run and word in NAME_PARTICLES):
            run.append((start, end, word))
        else:
            close()
    close()
    return names


def _glossary_spans(question: str) -> list[tuple[int, int]]:
    """Where the question uses glossary terms (English names of Dutch institutions, etc.)."""
    folded = "".join(fold(ch)[:1] or ch for ch in question)  # aligned with the question
    spans: list[tuple[int, int]] = []
    for concept in load_glossary():
        for pattern in concept.patterns:
            spans.extend(m.span() for m in pattern.finditer(folded))
    return spans


def _digits(text: str) -> str:
    return text.replace(".", "").replace(",", "")


def _asked_names(q: Question) -> list[tuple[str, list[str]]]:
    """The question's names with their stems, less those the glossary knows (English names
    of Dutch institutions), once each."""
    covered = _glossary_spans(q.text)
    out: dict[str, list[str]] = {}
    for start, end, name in _names(q.text):
        if not any(a <= start and end <= b for a, b in covered) and (tokens := q.stems(name)):
            out.setdefault(name, tokens)
    return list(out.items())


def unsupported_specifics(
    asked: str | Question, hits: Sequence[SearchHit], vocabulary: Collection[str]
) -> list[str]:
    """The names in ``asked`` absent from the corpus (``vocabulary``: its tokens) and the
    numbers absent from ``hits`` (text and title), in question order, without repeats."""
    q = read(asked)
    question = q.text
    missing = [name for name, tokens in _asked_names(q) if not all(t in vocabulary for t in tokens)]
    numbers = [m.group() for m in _NUMBER.finditer(question)]
    if numbers:
        found = {  # in digits or in words: "zes weken" has the question's "6 weken"
            key
            for h in hits
            for n in numbers_of(f"{h.chunk.title} {h.chunk.section} {h.chunk.text}")
            for key in (_digits(n.key), *(_digits(number_key(v)) for v in n.ratio or ()))
        }
        missing.extend(n for n in numbers if _digits(n) not in found and n not in missing)
    return missing


def names_elsewhere(
    asked: str | Question, hits: Sequence[SearchHit], idf: Mapping[str, float]
) -> list[str]:
    """The names in ``asked`` that the corpus mentions but none of ``hits`` does (title,
    section, publisher or a sentence that can be quoted; a name of several words by its
    rarest): the passages found are not about them, however close they are ("jeugdzorg in
    Utrecht" near passages about youth care that never name Utrecht but in a letter's
    dateline)."""
    known = {
        name: max(tokens, key=idf.__getitem__)
        for name, tokens in _asked_names(read(asked))
        if all(t in idf for t in tokens)
    }
    if not known:  # most questions name nothing: the passages need not be read
        return []
    seen = {
        t
        for h in hits
        for t in tokenize(
            " ".join(
                [h.chunk.title, h.chunk.section, h.chunk.publisher]
                + [h.chunk.text[a:b] for a, b in content_sentences(h.chunk)]
            )
        )
    }
    return [name for name, rarest in known.items() if rarest not in seen]


def unknown_speakers(asked: str | Question, named: Collection[str]) -> list[str]:
    """The names standing where the question names its sources ("wat zegt de gemeente Utrecht
    over ...", "what does the Amsterdam regulation say about ...") that name no document
    (``named``: the folded names the scope resolved). What such a source says is not in the
    corpus, even where its name is: a letter may mention Utrecht without speaking for it."""
    question = read(asked).text
    covered = _glossary_spans(question)
    out: list[str] = []
    for start, end, name in _names(question):
        folded = fold(name)
        if any(a <= start and end <= b for a, b in covered) or any(
            folded in n or n in folded for n in named
        ):
            continue
        if names_a_source(question, name) and name not in out:
            out.append(name)
    return out


#: "19 jaar", "18-jarige", "21 years": an age or a span of years a question is conditioned on.
_YEARS_AFTER = re.compile(r"\s*(?:-?jarigen?|jaar|jaren|years?)\b", re.IGNORECASE)
_CALENDAR = range(1900, 2101)


_MONTH_NUMBER = {m: i for months in (DUTCH_MONTHS, ENGLISH_MONTHS) for i, m in enumerate(months, 1)}
_DAY_MONTH = re.compile(
    rf"\b([0-9]{{1,2}})\s+({'|'.join(_MONTH_NUMBER)})\b|\b({'|'.join(_MONTH_NUMBER)})\s+([0-9]{{1,2}})\b",
    re.IGNORECASE,
)


def _conditions(text: str) -> list[tuple[str, str, str]]:
    """(kind, key, as written) of the years ("2027", "1 juli 2026"), the days of the year
    ("1 juli", "July 1") and the numbers of years ("19 jaar") in ``text``."""
    out = []
    for m in _DAY_MONTH.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out.append(("day", f"{_MONTH_NUMBER[month.lower()]}-{int(day)}", m.group()))
    for n in numbers_of(text):
        written = text[n.start : n.end]
        if n.kind in ("year", "date") and n.value.denominator == 1 and n.value in _CALENDAR:
            out.append(("year", n.key, written))
        elif n.kind == "cardinal" and (unit := _YEARS_AFTER.match(text, n.end)):
            out.append(("years", n.key, text[n.start : unit.end()]))
    return out


def other_conditions(asked: str | Question, quoted: Sequence[str]) -> list[str]:
    """The years, dates and ages a question is conditioned on ("voor 2027", "per 1 juli", "van
    19 jaar") where the quoted sentences give that kind of number only for others ("voor
    2026", "per 1 januari", "van 21 jaar"): they answer for another one, and the asked one is
    not in the sources found."""
    question = read(asked).text
    found: dict[str, set[str]] = {}
    for sentence in quoted:
        for kind, key, _ in _conditions(sentence):
            found.setdefault(kind, set()).add(key)
    out: list[str] = []
    for kind, key, written in _conditions(question):
        if kind in found and key not in found[kind] and written not in out:
            out.append(written)
    return out
