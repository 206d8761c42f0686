"""English names of Dutch documents, by the legal lexicon: a question may name a law by a
word-for-word translation of its name, and a name that fits no document, or two, names none."""

from __future__ import annotations

import pytest

from assistant.retrieval.english_names import content_words, english_mentions, translations
from assistant.retrieval.scope import resolve
from assistant.store.index import FileRecord

LAWS = [
    ("wpg", "law", ["Wet publieke gezondheid", "WPG"]),
    ("wgs", "law", ["Wet gemeentelijke schuldhulpverlening"]),
    ("jeugdwet", "law", ["Jeugdwet"]),
    ("pleeg", "law", ["Pleegkinderenwet"]),
    ("leerplicht", "law", ["Leerplichtwet 1969", "Leerplichtwet"]),
]


def named(question: str) -> list[tuple[str, str]]:
    return [(question[a:b], d) for a, b, d in english_mentions(question, LAWS)]


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("Under the Public Health Act, up to what age?", [("Public Health Act", "wpg")]),
        (
            "What does the Municipal Debt Assistance Act say?",
            [("Municipal Debt Assistance Act", "wgs")],
        ),
        ("The Youth Act says what?", [("Youth Act", "jeugdwet")]),  # not the foster children's
        ("Under the Compulsory Education Act?", [("Compulsory Education Act", "leerplicht")]),
    ],
)
def test_an_english_name_translating_one_documents_name_names_it(
    question: str, found: list[tuple[str, str]]
) -> None:
    assert named(question) == found


@pytest.mark.parametrize(
    "question",
    [
        "What does the Housing Act say?",  # no document of that name
        "What does the Healthcare Insurance Act say?",  # half a name is no name
        "What does the Public Health Report say?",  # another kind of document
        "What does public health law say?",  # no name: lower case
    ],
)
def test_a_name_that_translates_no_document_names_none(question: str) -> None:
    assert named(question) == []


def test_a_whole_wording_wins_over_a_stem_and_compounds_count_by_their_parts() -> None:
    assert "kinderopvang" in translations("childcare")
    assert "jeugd" not in translations("childcare")  # "child*" only begins it
    assert content_words("Wet gemeentelijke schuldhulpverlening") == [
        "gemeentelijke",
        "schuldhulpverlening",
    ]
    assert content_words("Pleegkinderenwet") == ["pleegkinderen"]
    assert content_words("Hervormingsagenda Jeugd") == []  # no kind word: nothing to translate


def test_resolve_scopes_a_question_by_the_english_name() -> None:
    docs = [
        FileRecord(key=f"{d}.md", sha256="", size=0, doc_id=d, title=n[0], doc_type=t)  # type: ignore[arg-type]
        for d, t, n in LAWS
    ]
    assert resolve("Under the Public Health Act, up to what age?", docs).doc_ids == ["wpg"]
