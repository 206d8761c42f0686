"""The relevance training data (evals/relevance): each generator on real law text and on the
synthetic municipal texts, the split by document, and the exclusion of evaluation documents."""

from __future__ import annotations

import random
from pathlib import Path

from assistant.answering.answer_type import Quantity, gives
from evals.relevance import generators as g
from evals.relevance import quantities
from evals.relevance.build import build, split_documents
from evals.relevance.sources import (
    EXCLUDED_DIRS,
    Document,
    exclusions,
    own_documents,
    parse_markdown,
)
from evals.relevance.split import split_of

ROOT = Path(__file__).resolve().parents[2]

LAW = """<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />

##Wet van 3 maart 2011 houdende regels over de kinderopvang en de peuterspeelzalen (voorbeeld)

### Hoofdstuk  1

####Kwaliteit van de kinderopvang

### Artikel  1

####Beroepskracht-kindratio

1.  Een beroepskracht werkt met ten hoogste acht kinderen in een stamgroep,
zie [artikel 2](../x/README.md).
2.  Een houder legt de ratio op 1 januari 2027 vast in het *pedagogisch beleidsplan* van de locatie.
3.  De oudercommissie wordt betrokken bij iedere wijziging van het pedagogisch beleidsplan.

### Artikel  2

De houder beslist binnen zes weken na ontvangst van een klacht van een ouder over de opvang.
Een klacht over de stamgroep wordt na het 21e verzoek aan de geschillencommissie gezonden.
De geschillencommissie doet uitspraak over de klacht van de ouder en maakt die openbaar.

### Artikel  3

Wijzigt de Wet op het primair onderwijs.
"""


def _passages() -> list[g.Passage]:
    return parse_markdown("law:kinderopvang", LAW).passages


def test_law_markdown_becomes_articles_with_titles_and_clean_text() -> None:
    doc = parse_markdown("law:kinderopvang", LAW)
    assert doc.title.startswith("wet van 3 maart 2011")
    assert [p.heading for p in doc.passages] == ["Artikel 1", "Artikel 2"]  # 3 only amends
    first = doc.passages[0]
    assert first.title == "Beroepskracht-kindratio"
    assert first.section == "Kwaliteit van de kinderopvang"
    assert "zie artikel 2." in first.text and "](" not in first.text and "*" not in first.text


def test_a_heading_is_the_query_for_its_own_section() -> None:
    pairs = g.heading_pairs(_passages(), common_titles=set())
    by_query = {p.query: p for p in pairs}
    article = _passages()[0]
    assert by_query["Beroepskracht-kindratio"].passage_id == article.passage_id
    assert by_query["Kwaliteit van de kinderopvang"].text == article.text
    assert all(p.label == 1 and p.generator == "heading" for p in pairs)
    # a title found in many documents names no subject and is left out
    common = g.heading_pairs(_passages(), common_titles={"beroepskracht-kindratio"})
    assert "Beroepskracht-kindratio" not in {p.query for p in common}


def test_inverse_cloze_removes_the_query_sentence_from_its_passage() -> None:
    passages = _passages()
    pairs = g.cloze_pairs(passages, g.Rarity(passages), random.Random(1))
    assert pairs
    for pair in pairs:
        source = next(p for p in passages if p.passage_id == pair.passage_id)
        assert pair.query in source.text and pair.query not in pair.text
        assert pair.label == 1


def test_a_template_question_has_its_own_passage_as_positive() -> None:
    docs = list(own_documents())
    passages = [p for d in docs for p in d.passages]
    rarity = g.Rarity(passages)
    pairs = g.template_pairs(passages, rarity, random.Random(3))
    assert len(pairs) >= len(passages) // 2
    by_id = {p.passage_id: p for p in passages}
    for pair in pairs:
        assert pair.label == 1 and pair.text == by_id[pair.passage_id].text
        if pair.lang == "nl":  # the Dutch term is taken from the passage itself
            term = next(t for t in rarity.terms(pair.text) if t in pair.query)
            assert term in pair.text.lower()


def test_rare_terms_are_nouns_not_ordinals_or_adverbs() -> None:
    text = (
        "De daarmede belaste ambtenaar stelt de vijfentwintigste jaarrekening van de "
        "stichting vast."
    )
    rarity = g.Rarity(
        [g.Passage("d", f"d#{i}", "", "", "", t) for i, t in enumerate([text, text, "iets anders"])]
    )
    assert rarity.terms(text) == ["jaarrekening", "stichting"]  # not daarmede, not the ordinal


def test_quantity_kinds_skip_dates_ordinals_and_references() -> None:
    assert quantities.kinds("De houder beslist binnen zes weken na ontvangst.") == {"period"}
    assert quantities.kinds("Het plafond bedraagt € 640.000 per jaar.") == {"amount"}
    assert quantities.kinds("Ongeveer 80 procent gaat naar personeel.") == {"share"}
    assert quantities.kinds("Jongeren jonger dan 18 jaar krijgen voorrang.") == {"age"}
    assert quantities.kinds("Een beroepskracht werkt met ten hoogste acht kinderen.") == {"count"}
    for none in (
        "De regeling treedt in werking op 1 januari 2027.",
        "Na hun 21e verzoek wordt de klacht doorgezonden.",
        "Als bedoeld in artikel 4:20a, eerste lid, en artikel 12 van de wet.",
        "De oudercommissie wordt betrokken bij de wijziging.",
    ):
        assert quantities.kinds(none) == set(), none


def test_quantity_negatives_hold_no_number_of_the_asked_kind() -> None:
    docs = [parse_markdown("law:kinderopvang", LAW), *own_documents()]
    passages = [p for d in docs for p in d.passages]
    pairs = g.quantity_pairs(passages, g.Rarity(passages), random.Random(5))
    positives = [p for p in pairs if p.label == 1]
    negatives = [p for p in pairs if p.label == 0]
    assert positives and negatives
    asked = {p.query: quantities.kinds(p.text) for p in positives}
    for neg in negatives:
        assert quantities.kinds(neg.text) == set(), neg.text
        kind = next(iter(asked[neg.query]))
        if kind in ("period", "share", "age"):  # the product's own check agrees
            product = {"period": Quantity.PERIOD, "share": Quantity.SHARE, "age": Quantity.AGE}
            assert not gives(product[kind], neg.text), neg.text
        assert neg.passage_id in {p.passage_id for p in positives}  # the same passage
    # a period question's positive is the sentence in words ("binnen zes weken")
    assert any("zes weken" in p.text for p in positives)


def test_a_near_miss_swap_removes_the_term_and_names_one_the_passage_lacks() -> None:
    text = "Het wijkteam in Utrecht werkt samen met de GGD bij de jeugdgezondheidszorg."
    positives = [
        g.Pair("Hoe werkt het wijkteam in Utrecht samen?", text, 1, "template", "d", "d#0"),
        g.Pair("Wat doet de GGD?", text, 1, "template", "d", "d#0"),
        g.Pair("Wat staat er over jeugdgezondheidszorg?", text, 1, "template", "d", "d#0"),
    ]
    misses = g.near_miss_pairs(positives, ["schuldhulpverlening", "leerplicht"], random.Random(2))
    assert len(misses) == 3
    for original, miss in zip(positives, misses, strict=True):
        assert miss.label == 0 and miss.generator == "near_miss" and miss.text == text
        removed = next(w for w in ("Utrecht", "GGD", "jeugdgezondheidszorg") if w in original.query)
        assert removed not in miss.query
        new_words = set(miss.query.split()) - set(original.query.split())
        assert new_words and all(w.strip("?") not in text for w in new_words)


def test_split_is_by_document_deterministic_and_seeded() -> None:
    ids = [f"law:wet-{i}" for i in range(400)]
    first = [split_of(d, seed=13) for d in ids]
    assert first == [split_of(d, seed=13) for d in ids]
    assert 20 <= first.count("dev") <= 60  # about 10%
    assert first != [split_of(d, seed=14) for d in ids]


def test_every_pair_of_a_document_stays_in_its_split() -> None:
    docs = [parse_markdown("law:kinderopvang", LAW), *own_documents()]
    seed = next(
        s for s in range(100)
        if len({split_of(d.doc_id, s, 0.5) for d in docs}) == 2
    )  # fmt: skip
    pairs, ids = build(docs, seed=seed, dev_fraction=0.5, per_doc=20)
    assert set(ids["train"]).isdisjoint(ids["dev"])
    for split, items in pairs.items():
        assert items and {p.doc_id for p in items} <= set(ids[split])
    assert split_documents(docs, seed, 0.5)["dev"]


def test_evaluation_documents_are_excluded(tmp_path: Path) -> None:
    # the real excluded folders: the distractor laws and the bundled corpus
    found = exclusions(EXCLUDED_DIRS)
    jeugdwet = (ROOT / "evals" / "distractors" / "jeugdwet-2015.md").read_text(encoding="utf-8")
    assert found.excludes("law:jeugdwet/BWBR0034925", jeugdwet)
    assert found.excludes("law:some/other/path", jeugdwet)  # by its title and text too
    assert found.excludes("law:wet/werk/en/bijstand/BWBR0015703", "anything")
    assert not found.excludes("law:kinderopvang", LAW)
    # a document of a (future) evaluation folder is excluded by its text alone
    unseen = tmp_path / "unseen"
    unseen.mkdir()
    (unseen / "regeling.md").write_text(LAW.replace("voorbeeld", "andere titel"), "utf-8")
    assert exclusions([unseen]).excludes("law:elsewhere", LAW.replace("voorbeeld", "andere titel"))
    # ... or by a BWB id its manifest names, or by the law's full title quoted in an excerpt
    (unseen / "manifest.toml").write_text('source = "BWBR0001234"\n', "utf-8")
    (unseen / "uittreksel.md").write_text(
        "Uit de Wet van 3 maart 2011 houdende regels over de kinderopvang en de "
        "peuterspeelzalen (voorbeeld), artikel 2: de houder beslist binnen zes weken.",
        "utf-8",
    )
    found = exclusions([unseen])
    assert found.excludes("law:x/BWBR0001234", "iets") and found.excludes("law:y", LAW)
    assert not found.excludes("law:z", LAW.replace("kinderopvang", "havens"))


def test_own_documents_parse_into_passages() -> None:
    docs: list[Document] = list(own_documents())
    assert len(docs) >= 2 and all(len(d.passages) >= 5 for d in docs)
