"""The scope resolver, the question classifier and Dutch agreement, on document records."""

from __future__ import annotations

import pytest

from assistant.answering.draft import Quote, clause_note, frame, verb
from assistant.core.types import Chunk, SearchHit
from assistant.retrieval.question_type import QuestionType, classify, states_quantity
from assistant.retrieval.scope import resolve
from assistant.store.index import FileRecord


def record(doc_id: str, **meta: object) -> FileRecord:
    return FileRecord(key=f"{doc_id}.txt", sha256="", size=0, doc_id=doc_id, **meta)  # type: ignore[arg-type]


DOCS = [
    record(
        "vng",
        title="Aanbevelingen Brede aanpak jeugd",
        publisher="VNG (Vereniging van Nederlandse Gemeenten)",
        author="Cathalijne Dortmans, bestuurlijk aanjager",
        doc_type="letter",
        aliases=["de aanjager", "envoy"],
    ),
    record("jn", title="Felicitaties", publisher="Jeugdzorg Nederland", doc_type="letter"),
    record(
        "ca",
        title="Omzien naar elkaar. Coalitieakkoord 2021-2025",
        publisher="VVD, D66, CDA en ChristenUnie",
        doc_type="agreement",
        aliases=["het kabinet", "national agreement"],
    ),
    record("jw", title="Wet van 1 maart 2014 (Jeugdwet)", doc_type="law"),
]


@pytest.mark.parametrize(
    ("question", "groups"),
    [
        ("Wat adviseert Jeugdzorg Nederland over de lokale teams?", [("jn",)]),
        ("According to the coalition agreement, what happens to the eigen risico?", [("ca",)]),
        ("What does the VNG say about kinderrechten?", [("vng",)]),
        ("Wat wil de Vereniging van Nederlandse Gemeenten?", [("vng",)]),
        ("Wat schrijft Dortmans over preventie?", [("vng",)]),  # the author
        ("Wat vindt de VVD van jeugdzorg?", [("ca",)]),  # one party of a list of publishers
        ("What do the letters say about prevention?", [("jn", "vng")]),  # a kind
        ("Wat zegt de wet over jeugdhulp?", [("jw",)]),
        ("Wat zegt de Jeugdwet?", [("jw",)]),  # a title's short form
        ("Wat zeggen de VNG en het kabinet over armoede?", [("vng",), ("ca",)]),
        ("Wat staat in de VNG-brief?", [("vng",)]),  # name and kind together: the name
        # the user's own agreement is no source; a name in the topic is the topic
        ("Wat schrijven we in ons coalitieakkoord over marktwerking?", []),
        ("Wat zegt het kabinet over de Jeugdwet?", [("ca",)]),
        ("Wat schrijven we op over marktwerking?", []),
    ],
)
def test_questions_resolve_to_the_documents_they_name(
    question: str, groups: list[tuple[str, ...]]
) -> None:
    assert resolve(question, DOCS).groups == groups


def test_a_document_a_user_adds_is_named_by_its_manifest_aliases() -> None:
    added = record(
        "kinderombudsman",
        title="Jaarverslag 2025",
        publisher="De Kinderombudsman",
        doc_type="report",
        aliases=["de ombudsman voor kinderen"],
    )
    assert resolve("Wat zegt de ombudsman voor kinderen?", [*DOCS, added]).doc_ids == [
        "kinderombudsman"
    ]
    assert resolve("What does the report say?", [*DOCS, added]).doc_ids == ["kinderombudsman"]
    scope = resolve("Wat zegt De Kinderombudsman?", [*DOCS, added])
    assert scope.to_dict()["labels"] == {"kinderombudsman": "De Kinderombudsman"}


@pytest.mark.parametrize(
    ("question", "groups", "expected"),
    [
        ("Welke aanbevelingen doet de VNG?", 1, QuestionType.OVERVIEW),
        ("Geef een overzicht van de tekstsuggesties.", 1, QuestionType.OVERVIEW),
        ("What are the recommendations of the envoy?", 1, QuestionType.OVERVIEW),
        ("What steps does the VNG propose?", 1, QuestionType.OVERVIEW),
        ("What happens to the eigen risico?", 1, QuestionType.LOOKUP),
        ("Welke rol speelt het onderwijs?", 0, QuestionType.LOOKUP),
        ("Wat zeggen de VNG en Jeugdzorg Nederland over teams?", 2, QuestionType.COMPARISON),
        ("Compare the two letters on prevention.", 0, QuestionType.COMPARISON),
        ("Is the VNG worried about costs?", 1, QuestionType.YESNO),
        ("Moeten we stoppen met aanbesteden?", 0, QuestionType.YESNO),
        ("Hoeveel fte per team adviseert de VNG?", 1, QuestionType.QUANTITY),
        ("How much money goes to prevention?", 0, QuestionType.QUANTITY),
        ("Tot welke leeftijd loopt verlengde jeugdzorg?", 0, QuestionType.QUANTITY),
        ("How quickly must parents tell the school?", 0, QuestionType.QUANTITY),
        ("Hoe vaak moet de raad vergaderen?", 0, QuestionType.QUANTITY),
        ("Wat schrijven we op over marktwerking?", 0, QuestionType.LOOKUP),
    ],
)
def test_question_types(question: str, groups: int, expected: QuestionType) -> None:
    assert classify(question, groups) == expected


def test_a_quantity_needs_a_number_word_or_digit() -> None:
    assert states_quantity("Inmiddels ontvangt 1 op de 7 kinderen jeugdzorg.")
    assert states_quantity("We halveren het aantal kinderen in armoede binnen vier jaar.")
    assert not states_quantity("We investeren in een sterke sociale basis.")


def test_dutch_framings_agree_in_number() -> None:
    assert verb("body", "VVD, D66, CDA en ChristenUnie", "nl") == "schrijven"
    assert verb("body", "VNG", "nl") == "schrijft"
    assert verb("recommendation", "VNG", "en") == "recommends"
    assert verb("body", "VVD, D66, CDA and ChristenUnie", "en") == "write"


def test_the_clause_note_follows_the_answer_language() -> None:
    chunk = Chunk(
        chunk_id="c",
        doc_id="jn",
        text="x",
        title="t",
        kind="clause_suggestion",
        item="2",
        publisher="Jeugdzorg Nederland",
    )
    assert clause_note(chunk, "nl") == "overgenomen uit Jeugdzorg Nederland, tekstsuggestie 2"
    assert clause_note(chunk, "en") == "taken from Jeugdzorg Nederland, suggestion 2"


def test_a_chunk_knows_the_page_of_each_offset() -> None:
    chunk = Chunk(
        chunk_id="c",
        doc_id="d",
        text="a" * 100,
        title="t",
        kind="body",
        page_start=35,
        page_end=36,
        page_breaks=((60, 36),),
    )
    assert chunk.page_at(10) == 35 and chunk.page_at(60) == 36 and chunk.page_at(99) == 36
    again = Chunk.from_metadata(chunk.text, chunk.to_metadata())
    assert again.page_breaks == ((60, 36),) and again.page_at(70) == 36


@pytest.mark.parametrize(
    "question",
    [
        "What are Jeugdzorg Nederland's suggestions for the coalition agreement?",
        "What are the VNG envoy’s recommendations?",
        "Welke punten noemt Jeugdzorg Nederland?",
        "Noem de aanbevelingen van de VNG.",
        "List the text suggestions of Jeugdzorg Nederland.",
    ],
)
def test_list_intent_in_more_phrasings_is_an_overview(question: str) -> None:
    assert classify(question) == QuestionType.OVERVIEW


def test_a_possessive_singular_is_no_list() -> None:
    assert classify("What is the VNG's view on prevention?") == QuestionType.LOOKUP


def _quote(publisher: str, title: str, kind: str = "body") -> Quote:
    text = "Het college beslist binnen zes weken op een aanvraag."
    chunk = Chunk(
        chunk_id="c", doc_id="d", text=text, title=title, kind=kind, publisher=publisher,
        page_start=12, page_end=12,
    )  # fmt: skip
    return Quote(n=1, hit=SearchHit(chunk=chunk, score=1.0, rank=1), start=0, end=len(text))


TITLE = "Verordening sociaal domein gemeente Zeist 2025"


def test_the_speaker_is_the_publisher_or_else_the_document() -> None:
    quote = "“Het college beslist binnen zes weken op een aanvraag.” [1]"
    assert frame(_quote("", TITLE), "nl") == f"In ‘{TITLE}’ (p. 12) staat: {quote}"
    assert frame(_quote("", TITLE), "en") == f"‘{TITLE}’ (p. 12) says: {quote}"
    assert (
        frame(_quote("Gemeente Zeist", TITLE), "nl") == f"Gemeente Zeist (p. 12) schrijft: {quote}"
    )
    assert frame(_quote("Gemeente Zeist", TITLE), "en") == f"Gemeente Zeist (p. 12) writes: {quote}"
    parties = _quote("VVD, D66, CDA en ChristenUnie", TITLE)
    assert frame(parties, "nl").startswith("VVD, D66, CDA en ChristenUnie (p. 12) schrijven: ")
    assert clause_note(_quote("", TITLE).hit.chunk, "nl", 12) == f"gebaseerd op ‘{TITLE}’, p. 12"


def test_a_title_is_never_a_plural_subject() -> None:
    # a title with "en" in it, and a compound cut short ("wet- en regelgeving")
    title = "Verordening sociaal domein | Lokale wet- en regelgeving"
    assert frame(_quote("", title), "nl").startswith(f"In ‘{title}’ (p. 12) staat: ")
    assert verb("body", "Afdeling wet- en regelgeving", "nl") == "schrijft"
    assert verb("body", "Jeugd- en gezinsteam", "nl") == "schrijft"
    assert verb("body", "Gemeente Zeist en Jeugdzorg Nederland", "nl") == "schrijven"
    assert verb("body", "Gemeente Zeist, afdeling Jeugd", "nl") == "schrijft"
    assert verb("body", "‘Kinderen en jongeren eerst’", "en") == "writes"
    # a body named by its domain, whose "en" joins the domain's parts
    assert verb("body", "Ministerie van Sociale Zaken en Werkgelegenheid", "nl") == "schrijft"
    assert verb("body", "Ministry of Health, Welfare and Sport", "en") == "writes"
