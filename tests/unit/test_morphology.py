"""Dutch word relations for concept matching (assistant.core.morphology), the per-index
vocabulary (assistant.core.lexicon) and what they change in concept coverage and ranking
(assistant.answering.concepts): inflection, participles, derived adjectives and phrases."""

from __future__ import annotations

from assistant.answering.answerability import (
    QUESTION_WORDS,
    addresses,
    in_so_many_words,
    topic_terms,
)
from assistant.answering.concepts import (
    key_concepts,
    key_phrases,
    passage_tokens,
    prefer_covering,
    uncovered,
    uses,
)
from assistant.core.lexicon import Vocabulary
from assistant.core.morphology import adjective_root, undouble, verb_stems
from assistant.core.types import Chunk, SearchHit
from assistant.core.words import tokenize, word_pairs
from assistant.store.lexical import inverse_document_frequency

PASSAGES = [
    "Veel problemen hangen samen met armoede; de oorzaak ligt vaak in het gezin.",
    "Specialistische jeugdzorg wordt centraler ingekocht door gemeenten.",
    "We lossen probleemschulden sneller op en verkorten schuldhulptrajecten.",
    "Het onderwijs krijgt meer geld. Scholen en leraren werken samen met passende hulp.",
    "Passend onderwijs moet beter aansluiten op de jeugdhulp in de wijk.",
    "Passende zorg dichtbij huis, passende hulp voor gezinnen en passende begeleiding.",
    "De structuur van het sociaal domein verandert; wijkteams en onderwijs werken samen.",
    "Het programma voor kinderen loopt door.",
]
VOCABULARY = Vocabulary(inverse_document_frequency(PASSAGES), PASSAGES)


def key(question: str) -> list[str]:
    return [c.word for c in key_concepts(question, VOCABULARY, skip=QUESTION_WORDS)]


def covered_by(question: str, passage: str) -> bool:
    concepts = key_concepts(question, VOCABULARY, skip=QUESTION_WORDS)
    return bool(concepts) and not uncovered(concepts[:1], [passage])


def test_an_inflected_noun_is_covered_by_its_singular() -> None:
    """The singular "school" and the plural "scholen" are one word to the Snowball stemmer."""
    assert covered_by("Wat zeggen ze over de school?", PASSAGES[3])
    assert not covered_by("Wat zeggen ze over de school?", PASSAGES[1])


def test_a_noun_asking_for_a_relation_is_no_key_concept() -> None:
    """Documents give causes with verbs ("hangen samen met"): the question is about armoede."""
    assert key("Wat zijn volgens de VNG de oorzaken van armoede?") == ["armoede"]


def test_a_participle_stands_for_its_verb_and_the_noun_of_that_verb() -> None:
    [ingekocht] = tokenize("ingekocht")  # in|ge|kocht: inkopen, with an irregular past stem
    assert verb_stems(ingekocht) == {tokenize("inkopen")[0]} == {tokenize("inkoop")[0]}
    assert tokenize("ingevoerd") == tokenize("invoeren")  # a regular one is the stemmer's
    assert verb_stems(tokenize("gemeente")[0]) == frozenset()
    # no "ge-" after an inseparable prefix: the stemmer keeps the -d, the rule drops it
    [herhaald] = tokenize("herhaald")
    assert verb_stems(herhaald) == {tokenize("herhaling")[0]} == {tokenize("herhalen")[0]}
    assert verb_stems(tokenize("bepaald")[0]) == {tokenize("bepaling")[0]}
    assert verb_stems(tokenize("bed")[0]) == frozenset()  # no root after the prefix
    assert uses(herhaald, passage_tokens("Bij herhaling van het verzuim volgt een boete."))
    assert uses(tokenize("herhaling")[0], passage_tokens("Wie het verzuim herhaald heeft."))
    # "de inkoop" is covered by a passage saying the care "wordt ingekocht"
    question = "Wat zegt het akkoord over de inkoop van specialistische jeugdzorg?"
    concepts = key_concepts(question, Vocabulary(inverse_document_frequency([*PASSAGES, "inkoop"])))
    [inkoop] = [c for c in concepts if c.word == "inkoop"]
    assert not uncovered([inkoop], [PASSAGES[1]])
    assert uncovered([inkoop], [PASSAGES[3]])


def test_a_derived_adjective_is_covered_by_its_noun_also_inside_a_compound() -> None:
    [problematisch] = tokenize("problematische")
    assert adjective_root(problematisch) == undouble(tokenize("probleem")[0]) == "problem"
    assert adjective_root(tokenize("structureel")[0]) == undouble(tokenize("structuur")[0])
    assert adjective_root("logisch") is None  # a root of three letters says nothing
    assert covered_by("Wat zegt het over de structuur?", PASSAGES[7] + " Structurele steun.")
    corpus = [*PASSAGES, "Problematische situaties."]
    idf = Vocabulary(inverse_document_frequency(corpus))
    [adjective] = [
        c
        for c in key_concepts("Wat doet het kabinet aan problematische schulden?", idf)
        if c.word == "problematische"
    ]
    assert not uncovered([adjective], [PASSAGES[2]])  # "probleemschulden"
    assert uncovered([adjective], [PASSAGES[7]])  # "programma" shares only "pro"


def test_long_and_short_vowels_stay_apart_outside_derivations() -> None:
    """The participle "gesloten" (stem "sloot") is not covered by "Tot slot": only a
    derivation writes a long vowel once."""
    corpus = [*PASSAGES, "Gesloten jeugdzorg.", "Tot slot: de wijk."]
    idf = Vocabulary(inverse_document_frequency(corpus))
    [gesloten] = [c for c in key_concepts("Wat zegt ze over gesloten jeugdzorg?", idf)][:1]
    assert gesloten.word == "gesloten"
    assert uncovered([gesloten], ["Tot slot: de wijk."])


def test_phrases_are_adjacent_content_words_within_a_clause() -> None:
    passend = " ".join(tokenize("passend onderwijs"))
    assert word_pairs("Passend onderwijs, jeugdzorg en de wijk.") == [passend]
    assert "jeugdzorg onderwijs" not in word_pairs("jeugdzorg en onderwijs")


def test_a_question_phrase_the_corpus_uses_is_a_concept_and_rarer_than_its_words() -> None:
    [phrase] = key_phrases("Wat zegt het kabinet over passend onderwijs?", VOCABULARY)
    assert phrase.word == "passend onderwijs"
    assert phrase.weight > max(VOCABULARY[t] for t in tokenize("passend onderwijs"))
    assert key_phrases("Wat zegt het kabinet over goed onderwijs?", VOCABULARY) == []


def _hit(cid: str, text: str, score: float) -> SearchHit:
    return SearchHit(chunk=Chunk(cid, "d", text, "T", "body"), score=score, rank=1)


def test_the_passage_using_the_phrase_ranks_before_passages_about_its_words() -> None:
    """The phrase "passend onderwijs" is not judged on "onderwijs" alone: the general
    education passage (about "onderwijs", in its first sentence) scores higher, but the one
    on passend onderwijs comes first."""
    question = "Wat zegt het kabinet over passend onderwijs?"
    general = _hit("general", PASSAGES[3], 1.0)
    domain = _hit("domain", PASSAGES[6], 0.95)
    passend = _hit("passend", PASSAGES[4], 0.9)
    concepts = key_concepts(question, VOCABULARY, skip=QUESTION_WORDS)
    phrases = key_phrases(question, VOCABULARY, skip=QUESTION_WORDS)
    without = prefer_covering([general, domain, passend], concepts[:1])
    assert without[0] is general  # the word alone
    ranked = prefer_covering([general, domain, passend], concepts[:1], phrases)
    assert [h.chunk.chunk_id for h in ranked] == ["passend", "general", "domain"]


def test_the_vocabulary_finds_compounds_without_scanning() -> None:
    idf = inverse_document_frequency(
        ["De jeugdbeschermingsketen.", "Jeugdbescherming.", "Kinderbescherming en bescherming."]
    )
    vocabulary = Vocabulary(idf)
    [part] = tokenize("bescherming")
    holding = set(vocabulary.holding(part, 3))
    assert holding == {
        t for t in idf if len(t) >= len(part) + 3 and (t.startswith(part) or t.endswith(part))
    }
    assert holding == set(tokenize("jeugdbescherming kinderbescherming"))
    assert vocabulary.phrase_weight(f"jeugd {part}") is None  # no passages, no phrases


def test_a_named_document_addresses_a_topic_term_inside_its_compound() -> None:
    """The agreement's "jeugdbeschermingsketen" speaks of youth protection."""
    hits = [_hit("a", "De jeugdbeschermingsketen wordt verbeterd.", 1.0)]
    assert addresses(hits, set(tokenize("jeugdbescherming")))
    assert not addresses(hits, set(tokenize("jeugdreclassering")))


def test_a_named_document_using_every_topic_term_speaks_in_its_own_words() -> None:
    """Legal wording ("wordt gestraft", "overtreding") is far from the question's ("welke
    straf staat op overtreden") for dense similarity; every topic term in the passages
    decides. One term alone is not enough, nor two of three."""
    hits = [_hit("a", "Overtreding van artikel 5 wordt gestraft met een geldboete.", 1.0)]
    straf, overtreden, herhaald = (tokenize(w)[0] for w in ("straf", "overtreden", "herhaald"))
    assert in_so_many_words(hits, {straf, overtreden})
    assert not in_so_many_words(hits, {straf})
    assert not in_so_many_words(hits, {straf, overtreden, herhaald})
    assert addresses(hits, {straf, overtreden, herhaald})


def test_an_english_question_is_placed_by_its_specific_glossary_concepts_only() -> None:
    """A concept with a common Dutch wording ("kosten") decides nothing; one whose every
    wording is rare ("werkloosheid", "WW") does."""
    corpus = [f"De kosten van zorg nummer {i}." for i in range(80)] + [
        "De uitgaven stijgen.",
        "Werkloosheid onder jongeren en de WW.",
    ]
    idf = inverse_document_frequency(corpus)
    assert topic_terms("What about rising costs?", idf) == set()
    assert topic_terms("What about unemployment?", idf) == set(tokenize("werkloosheid WW"))
