"""Whether the sources say what a question asks: the signals the assistant refuses on.

- dense evidence: the best passage's similarity to the question, per language, with a margin
  for questions outside the policy vocabulary (calibrated by ``python -m evals.calibrate``);
- specifics: names the corpus never mentions, numbers no retrieved passage contains
  (assistant.specifics);
- the expected answer type: a quantity question needs a number in the quoted sentence;
- key concepts: a Dutch content word of the question that occurs nowhere in the corpus and
  has no glossary wording names what is missing when the assistant refuses; it is no reason
  to refuse by itself: on the dev split 17 of the 19 questions with such a word were
  answerable paraphrases ("pubers", "gemeentekoepel");
- scope: a named document is silent on a question when none of the question's topic terms
  (its Dutch content words and glossary terms, less the words naming the document) occurs in
  its best passages while the corpus does use them, or when its evidence is weak.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from assistant.answering.answer_type import Quantity, gives
from assistant.answering.concepts import passage_text, passage_tokens, stable_first, uses
from assistant.core.question import Question, read
from assistant.core.types import SearchHit
from assistant.core.words import tokenize
from assistant.retrieval.glossary import glossary_terms, matched_concepts
from assistant.retrieval.question_type import QuestionType

#: Below this similarity between the question and the best matching sentence or passage the
#: sources are taken not to cover the question. Per language, because English questions
#: meet Dutch text at lower similarities. Calibrated on the dev split of
#: evals/datasets/questions.jsonl by ``python -m evals.calibrate``, which prints the
#: refusal rates on both splits. Re-calibrated on e5-small (2026-12-02): nl unchanged, en
#: 0.795 -> 0.811 (the trust set's answers did not change).
REFUSAL_THRESHOLDS = {"en": 0.811, "nl": 0.813}
#: A question that uses none of the policy vocabulary of the glossary (parking, the weather)
#: needs this much more similarity: the glossary doubles as the product's domain lexicon.
#: Calibrated with the thresholds above.
OUT_OF_DOMAIN_MARGIN = 0.035

#: Words of how a question is asked (interrogatives, auxiliaries, speech verbs, pronouns):
#: never a key concept. Nouns that ask for a relation ("de oorzaken van", "de rol van", "de
#: gevolgen van") count as such: documents state causes and roles with verbs ("hangen samen
#: met", "leidt tot"), so the relation's noun is rarely in the answer; so do verbs asking for
#: a view ("Hoe kijkt de VNG naar ...").
QUESTION_WORDS = frozenset(
    tokenize(
        "wat welke welk hoe hoeveel waarom wie wanneer waar waarover waaraan waarmee "
        "volgens zegt zeggen zei staat staan stelt stellen vindt vinden adviseert adviseren "
        "advies beveelt aanbevelen schrijft schrijven noemt noemen wil willen wilde moet moeten "
        "kan kunnen mag mogen zal zullen gaat gaan doet doen heeft hebben wordt worden is zijn "
        "was waren er hier daar daarover erover over ook nog al alle veel meer minder precies "
        "we wij ons onze jullie u uw zij hun hen het de een van in op aan met voor bij tot naar "
        "uit om als dan dat die dit deze en of maar niet geen wel "
        "brief brieven document documenten bronnen bron tekst akkoord coalitieakkoord "
        "pleit pleiten vraagt vragen opnemen opschrijven afspreken afspraak afspraken "
        "precies exact exacte concreet concrete specifiek specifieke jaar jaren "
        "gemeente gemeenten "
        "vergelijk vergelijken verschil verschillen overzicht geef geven noem lijst "
        "compare overview list give "
        "oorzaak oorzaken gevolg gevolgen reden redenen effect effecten rol "
        "kijkt kijken denkt denken oordeelt oordelen ziet zien"
    )
)


def evidence_strength(hits: Sequence[SearchHit]) -> float:
    """How close the best of the top passages comes to the question (dense similarity)."""
    return max((h.dense_score or 0.0 for h in hits[:3]), default=0.0)


def refusal_threshold(question: str | Question) -> float:
    q = read(question)
    base = REFUSAL_THRESHOLDS.get(q.language, REFUSAL_THRESHOLDS["nl"])
    return base if matched_concepts(q.text) else base + OUT_OF_DOMAIN_MARGIN


def covered(hits: Sequence[SearchHit], question: str | Question) -> bool:
    """Whether the best passages are close enough to the question to answer from."""
    return evidence_strength(hits) >= refusal_threshold(question)


def missing_concepts(
    question: str | Question, vocabulary: Collection[str], ignore: str = ""
) -> list[str]:
    """Dutch content words of ``question`` that occur nowhere in the corpus (``vocabulary``)
    and are no glossary wording; ``ignore`` holds words already accounted for (the named
    documents). English questions are not judged: their words never occur in Dutch text."""
    q = read(question)
    if q.language != "nl":
        return []
    skip = set(q.stems(ignore)) | QUESTION_WORDS | glossary_terms()
    out: list[str] = []
    for word, stems in q.words:
        # "?" never makes a stem, so a word's stems are those of the word without it
        word = word.replace("?", "")
        tokens = [t for t in stems if t not in skip and not t.isdigit() and len(t) > 3]
        if tokens and all(t not in vocabulary for t in tokens) and word not in out:
            out.append(word.strip(".,;:!\"'‘’“”()"))
    return out


def lacks_quantity(qtype: QuestionType, quoted: Sequence[str], kind: Quantity | None) -> bool:
    """A quantity question whose quoted sentences give no number of the ``kind`` it asks for
    (an amount, a share, a period, an age, a count): the sources do not say."""
    if qtype != QuestionType.QUANTITY or kind is None:
        return False
    return not any(gives(kind, s) for s in quoted)


def looks_like_table(text: str) -> bool:
    """A PDF table extracted as text (mostly numbers): shown as "possibly related" it would
    read as a string of numbers, so it is left out."""
    tokens = text.split()
    numeric = sum(1 for t in tokens if any(ch.isdigit() for ch in t))
    return len(tokens) >= 8 and numeric / len(tokens) > 0.3


#: A topic term must be at least this rare (idf over the index's chunks) to decide whether a
#: named document addresses a question: "jeugdzorg" (3.1), "kinderen" (3.0) and "onderwijs"
#: (2.8) occur in every document; "diensttijd" (5.3), "wijkagent" (5.6) do not. The 10th
#: percentile of the corpus-with-laws idf is 3.8.
SPECIFIC_IDF = 3.5
#: An English question borrows a Dutch term when it uses a long corpus word ("kinderrechten").
_BORROWED_LEN = 9


def topic_terms(
    question: str | Question, idf: Mapping[str, float], mentioned: Sequence[str] = ()
) -> set[str]:
    """Rare stems the question is about, that the corpus uses: a Dutch question's content
    words; an English question's glossary terms and the long corpus words it borrows; never
    the words that name a document or ask the question."""
    topic = read(question).without(mentioned)
    if topic.language == "nl":  # its own words (the glossary adds neighbours)
        words = set(topic.tokens)
    else:  # the Dutch words it borrows, else its glossary terms (broader: "VN" for rights)
        borrowed = {t for w, stems in topic.words if len(w) >= _BORROWED_LEN for t in stems}
        words = {t for t in borrowed if t in idf}
        if not words:
            return _glossary_terms(topic.text, idf) - QUESTION_WORDS
    return {t for t in words - QUESTION_WORDS if idf.get(t, 0.0) >= SPECIFIC_IDF}


def _glossary_terms(question: str, idf: Mapping[str, float]) -> set[str]:
    """The Dutch terms of an English question's glossary concepts that are specific: every
    wording the corpus uses is rare. A concept with a common wording decides nothing: a
    letter that says "kosten" does speak of "costs", though only "uitgaven" is rare, and
    "leerlingen" is no topic of a question about young people."""
    out: set[str] = set()
    for concept in matched_concepts(question):
        stems = {t for term in concept.nl for t in tokenize(term) if t in idf}
        if all(idf[t] >= SPECIFIC_IDF for t in stems):
            out |= stems
    return out


def addresses(hits: Sequence[SearchHit], terms: Collection[str], every: bool = False) -> bool:
    """Whether the passages use any (``every``: each) of the question's topic terms (no
    terms: undecided)."""
    if not terms:
        return True
    found: set[str] = set()
    for h in hits[:5]:
        found.update(passage_tokens(passage_text(h.chunk)))
    used = (uses(t, found) for t in terms)  # also inside a compound ("...sketen")
    return all(used) if every else any(used)


def in_so_many_words(hits: Sequence[SearchHit], terms: Collection[str]) -> bool:
    """Whether the passages use every one of two or more topic terms: a named document that
    does speaks of the question, however far its legal wording is from the question's
    (dense similarity undervalues "wordt gestraft met" against "welke straf staat op")."""
    return len(terms) >= 2 and addresses(hits, terms, every=True)


def prefer_topic(hits: list[SearchHit], terms: Collection[str]) -> list[SearchHit]:
    """Inside a named document, passages that use the question's rare topic terms first (a
    stable reorder: the fused ranking decides among them): "What does the VNG say about
    kinderrechten?" is answered from the passage about kinderrechten, not the letter's opening."""
    if not terms:
        return hits
    return stable_first(hits, lambda h: any(uses(t, passage_tokens(h.chunk.text)) for t in terms))


#: Share of the best fused score within which a passage counts as equally relevant (the
#: drafter's RELATIVE_SCORE).
CLOSE_SCORE = 0.75


def quantity_passages(hits: list[SearchHit], kind: Quantity) -> list[SearchHit]:
    """Of the passages about as relevant as the best, those that give a number of the
    ``kind`` a quantity question asks for."""
    if not hits:
        return []
    close = [h for h in hits[:5] if h.score >= CLOSE_SCORE * hits[0].score]
    return [h for h in close if gives(kind, h.chunk.text)]
