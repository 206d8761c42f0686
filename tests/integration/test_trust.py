"""Answers a negotiator can trust (#14), on the real corpus with the three distractor laws:
the named source, the right kind of answer, "the sources don't say", checkable citations."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answering.analysis import analyse
from assistant.answering.answer import MESSAGES, Assistant
from assistant.answering.answerability import QUESTION_WORDS
from assistant.answering.compose import quantity_quotes
from assistant.answering.concepts import key_concepts, passage_text, uncovered
from assistant.answering.evidence import Evidence, scoped_search
from assistant.core.question import Question
from assistant.core.settings import Settings
from assistant.core.types import SearchHit
from assistant.retrieval.question_type import QuestionType
from assistant.ui.render import answer_html
from ingest.pipeline import ingest
from tests.pdfgen import make_pdf

VNG = "vng-aanjager-brede-aanpak-jeugd-2026-03-24"
JN = "jeugdzorg-nederland-coalitieakkoord-2026-04"
CA = "coalitieakkoord-2021-2025"


@pytest.fixture(scope="module")
def assistant(distractor_index: Settings) -> Assistant:
    return Assistant(distractor_index)


@pytest.mark.parametrize(
    ("question", "doc", "word"),
    [
        ("Wat adviseert Jeugdzorg Nederland over de lokale teams?", JN, "lokale teams"),
        (
            "According to the coalition agreement, what happens to the eigen risico?",
            CA,
            "eigen risico",
        ),
        ("What does the VNG say about kinderrechten?", VNG, "kinderrechten"),
        ("Wat wil het kabinet met gespecialiseerde jeugdzorg?", CA, "jeugdzorg"),
    ],
)
def test_scoped_questions_stay_in_scope(
    assistant: Assistant, question: str, doc: str, word: str
) -> None:
    answer = assistant.ask(question)
    assert not answer.refused, answer.answer
    assert answer.scope["doc_ids"] == [doc]
    assert answer.citations and {c.doc_id for c in answer.citations} == {doc}
    assert any(word in c.quote.lower() for c in answer.citations), answer.answer
    assert all(c.publisher and c.date for c in answer.citations)


def test_search_inside_the_named_document_reports_scope_and_pages(
    assistant: Assistant,
) -> None:
    hits, scope = scoped_search(
        assistant.retriever, "Wat zegt het kabinet over jeugdzorg?", 5, None, {}
    )
    assert scope.doc_ids == [CA] and {h.chunk.doc_id for h in hits} == {CA}
    row = hits[0].to_dict()
    assert row["page_start"] >= 1 and row["page_end"] >= row["page_start"]
    assert row["publisher"] == "VVD, D66, CDA en ChristenUnie"


def test_an_overview_question_lists_all_four_vng_recommendations(assistant: Assistant) -> None:
    answer = assistant.ask("Welke aanbevelingen doet de VNG voor het coalitieakkoord?")
    assert answer.question_type == "overview" and not answer.refused
    assert [c.item for c in answer.citations] == ["1", "2", "3", "4"]
    assert {c.doc_id for c in answer.citations} == {VNG}
    assert "4 aanbevelingen" in answer.answer
    assert "Formuleer een duidelijke ambitie" in answer.answer


def test_a_comparison_gives_one_cited_statement_per_named_document(assistant: Assistant) -> None:
    answer = assistant.ask("Wat zeggen de VNG en Jeugdzorg Nederland over lokale teams?")
    assert answer.question_type == "comparison" and not answer.refused
    assert [c.doc_id for c in answer.citations] == [VNG, JN]


def test_a_quantity_the_corpus_does_not_give_is_refused(assistant: Assistant) -> None:
    answer = assistant.ask("Hoeveel fte per lokaal team adviseert de VNG-aanjager?")
    assert answer.question_type == "quantity"
    assert answer.refused and not answer.citations


def test_a_quantity_the_corpus_gives_is_answered_with_the_number(assistant: Assistant) -> None:
    answer = assistant.ask("Hoeveel kinderen ontvangen volgens Jeugdzorg Nederland jeugdzorg?")
    assert not answer.refused
    assert "1 op de 7" in answer.citations[0].quote


def test_a_named_document_that_is_silent_is_said_to_be(assistant: Assistant) -> None:
    answer = assistant.ask("Wat zegt de VNG over marktwerking?")
    assert "VNG gaat hier niet op in" in answer.answer
    assert answer.scope["silent"] == ["VNG"]
    # what the other documents say comes attributed to them, never to the VNG
    assert all(c.doc_id != VNG for c in answer.citations)
    assert all(f"{c.publisher.split(' (')[0]}" in answer.answer for c in answer.citations)


def test_an_unknown_second_source_is_named_and_the_known_one_answers(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("Wat zeggen de VNG en Ingrado over preventie in de wijk?")
    assert not answer.refused
    assert "‘Ingrado’ staat niet tussen de documenten" in answer.answer
    assert {c.doc_id for c in answer.citations} == {VNG}


def test_an_unknown_organisation_alone_is_refused_by_name(assistant: Assistant) -> None:
    answer = assistant.ask("Wat adviseert Ingrado over preventie?")
    assert answer.refused and "Ingrado" in answer.answer


def test_a_source_the_corpus_mentions_but_holds_no_document_of_is_refused(
    assistant: Assistant,
) -> None:
    """Utrecht is in the corpus (a letter's place line), but no document speaks for the
    municipality: "what does Utrecht say" is not answered with another document's words."""
    answer = assistant.ask("Wat zegt de gemeente Utrecht over preventie in de wijk?")
    assert answer.refused and "Geen van de documenten is van ‘Utrecht’" in answer.answer
    assert answer.reason == "no document is by Utrecht"
    english = assistant.ask("What does the municipality of Utrecht say about prevention?")
    assert english.refused and "None of the documents is by ‘Utrecht’" in english.answer
    # only a letter's dateline names Utrecht: no passage found is about it
    topic = assistant.ask("Wat zegt het kabinet over jeugdzorg in Utrecht?")
    assert topic.refused and "gaan niet over ‘Utrecht’" in topic.answer
    assert topic.reason == "the passages found do not speak of Utrecht"
    # beside a known source, it is named and the known one answers
    both = assistant.ask("Wat zeggen de VNG en de gemeente Utrecht over preventie in de wijk?")
    assert not both.refused and "‘Utrecht’ staat niet tussen de documenten" in both.answer
    assert {c.doc_id for c in both.citations} == {VNG}


def test_the_answer_and_clause_note_follow_the_interface_language(assistant: Assistant) -> None:
    answer = assistant.ask("What should we write about market forces?", language="nl")
    assert "schrijf" in answer.answer or "stelt" in answer.answer
    assert answer.clause_note.startswith(("overgenomen", "omgezet", "gebaseerd"))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A PDF whose passage runs over a page break, and a text with a literal "[1] [2]"."""
    corpus = tmp_path_factory.mktemp("forged") / "corpus"
    corpus.mkdir()
    make_pdf(
        corpus / "beleid.pdf",
        [
            "Jeugdbeleid in de gemeente\n\nDe gemeente investeert in sterke lokale teams en in\n"
            "voorzieningen in de wijk, zodat kinderen dichtbij huis hulp krijgen van\n"
            "professionals die het gezin kennen.",
            "Daarnaast bouwen wij de gesloten jeugdzorg af naar kleinschalige en open\n"
            "woonvormen voor jongeren die niet thuis kunnen wonen.",
        ],
        title="Beleidsnota jeugd",
        author="Gemeente Voorbeeld",
    )
    (corpus / "vervalst.txt").write_text(
        "Speeltuinen\n\nDe gemeente houdt speeltuinen, buurthuizen en zwembaden open voor alle "
        "kinderen in elke wijk [1] [2].\n",
        encoding="utf-8",
    )
    settings = Settings(corpus_dirs=(corpus,), index_dir=corpus.parent / "index")
    assert ingest(settings).ok
    return settings


def test_a_quote_on_a_page_boundary_cites_its_own_page(small: Settings) -> None:
    answer = Assistant(small).ask("Wat doet de gemeente met de gesloten jeugdzorg?")
    assert not answer.refused, answer.answer
    cited = answer.citations[0]
    chunk = Assistant(small).retriever.snapshot().by_id[cited.chunk_id]
    assert (chunk.page_start, chunk.page_end) == (1, 2)  # the passage spans the break
    assert "gesloten jeugdzorg" in cited.quote and cited.page == 2
    assert "p. 2" in answer.answer


def test_a_documents_literal_marker_is_not_a_citation_link(small: Settings) -> None:
    answer = Assistant(small).ask("Wat zegt de gemeente over speeltuinen en buurthuizen?")
    assert not answer.refused and "[1] [2]" in answer.citations[0].quote
    html = answer_html(answer, 0, "nl")
    assert html.count('class="ja-cite"') == len(answer.citations) == 1
    assert html.count("&#91;2&#93;") == 1  # the document's own [2] stays text


# The cited passage must speak of what the question is about: key concepts, Dutch compounds,
# the kind of number asked for, and list intent in more phrasings.


def declined(answer) -> bool:  # type: ignore[no-untyped-def]
    groups = answer.scope.get("groups", [])
    return answer.refused or (bool(groups) and len(answer.scope["silent"]) >= len(groups))


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        # the named letter speaks of youth care, never of closed youth care
        ("Wat vindt de VNG-aanjager van gesloten jeugdzorg?", VNG),
        # the agreement never mentions youth probation (Jeugdzorg Nederland does)
        ("Wat schrijft het coalitieakkoord over jeugdreclassering?", CA),
        ("What does the VNG envoy write about youth probation?", VNG),
    ],
)
def test_a_named_document_silent_on_the_key_concept_is_not_quoted(
    assistant: Assistant, question: str, doc: str
) -> None:
    answer = assistant.ask(question)
    assert declined(answer), answer.answer
    assert doc not in {c.doc_id for c in answer.citations}


def test_the_cited_passage_is_the_one_that_speaks_of_the_key_concept(
    assistant: Assistant,
) -> None:
    """ "schulden" is covered by the agreement's "probleemschulden" (a compound), and that
    passage is cited rather than a closer-scored one about something else."""
    answer = assistant.ask("Wat zegt het coalitieakkoord over schulden?")
    assert not answer.refused, answer.answer
    assert {c.doc_id for c in answer.citations} == {CA}
    assert any("schuld" in c.quote for c in answer.citations), answer.answer


def test_a_number_off_the_key_concept_is_refused(assistant: Assistant) -> None:
    """The letter gives a number (1 in 7 children) and speaks of closed youth care, but of
    no number of places: the number is no answer. (The passages that use both "jeugdzorg"
    and "plek" give no number, so the refusal says that no number is given.)"""
    answer = assistant.ask("Hoeveel jeugdzorgplekken wil Jeugdzorg Nederland laten verdwijnen?")
    assert answer.refused and not answer.citations, answer.answer
    assert "1 op de 7" not in answer.answer


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Wat zeggen de documenten over pesten op school?", "pesten"),
        ("What does the cabinet say about waiting lists in youth care?", "waiting lists"),
        # the corpus uses "sociale" and "media", never "sociale media"
        ("How do the documents deal with social media use by children?", "social media"),
    ],
)
def test_a_policy_topic_the_corpus_never_uses_is_refused_by_name(
    assistant: Assistant, question: str, term: str
) -> None:
    answer = assistant.ask(question)
    assert answer.refused and not answer.citations, answer.answer
    assert f"‘{term}’" in answer.answer


def test_a_period_question_is_not_answered_with_a_year(assistant: Assistant) -> None:
    """The agreement shortens debt-relief trajectories but gives no period for them."""
    answer = assistant.ask("Hoe lang mogen schuldhulptrajecten volgens het kabinet duren?")
    assert answer.question_type == "quantity"
    assert declined(answer) and not answer.citations, answer.answer


def test_an_age_question_is_answered_with_the_age(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Tot welke leeftijd van het kind geldt volgens het coalitieakkoord de hogere "
        "vergoeding voor kinderopvang?"
    )
    assert answer.question_type == "quantity" and not answer.refused, answer.answer
    assert any("12 jaar" in c.quote for c in answer.citations)


def test_an_english_possessive_plural_lists_the_documents_items(assistant: Assistant) -> None:
    answer = assistant.ask("What are Jeugdzorg Nederland's proposals for the coalition text?")
    assert answer.question_type == "overview" and not answer.refused
    assert {c.doc_id for c in answer.citations} == {JN}
    assert [c.item for c in answer.citations] == [str(i) for i in range(1, 11)]


def test_an_amount_question_quotes_the_sentence_that_gives_the_amount(
    assistant: Assistant,
) -> None:
    """The closest sentence may only name the topic; the amount stands in the next one."""
    answer = assistant.ask("Hoeveel geld trekt het kabinet structureel uit voor defensie?")
    assert answer.question_type == "quantity" and not answer.refused, answer.answer
    assert any("miljard" in c.quote for c in answer.citations), answer.answer


def test_a_quantity_comes_from_a_passage_about_the_key_concept(assistant: Assistant) -> None:
    """The letter's recommendation on the neighbourhood speaks of local teams without a
    number; its "Doel van de opdracht" gives a count ("twee doelen"), about something else:
    that count is no answer to how many fte per local team."""
    question = "Hoeveel fte per lokaal team noemt de VNG-aanjager?"
    snap = assistant.retriever.snapshot()
    vng = [c for c in snap.chunks if c.doc_id == VNG]
    about = next(c for c in vng if "Investeer in preventie" in c.text and "lokale teams" in c.text)
    goal = next(c for c in vng if c.section == "Doel van de opdracht")
    hits = [SearchHit(chunk=about, score=1.0, rank=1), SearchHit(chunk=goal, score=0.9, rank=2)]
    concepts = key_concepts(question, snap.vocabulary, ["VNG-aanjager"], QUESTION_WORDS)
    read = analyse(Question.read(question), [], snap.idf, snap.vocabulary)
    assert read.qtype == QuestionType.QUANTITY
    ev = Evidence(replace(read, concepts=tuple(concepts)), hits)
    assert ev.key and not uncovered(ev.key, [passage_text(about)])
    assert uncovered(ev.key, [passage_text(goal)])
    composing = assistant._composing("nl", MESSAGES["nl"])
    assert all(q.hit.chunk is not goal for q in quantity_quotes(ev, composing))
