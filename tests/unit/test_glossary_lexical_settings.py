import os

import pytest

from assistant.core.settings import PRIVACY_DEFAULTS, Settings
from assistant.core.words import tokenize
from assistant.retrieval.glossary import expand, load_glossary
from assistant.store.lexical import LexicalIndex


@pytest.mark.parametrize(
    ("question", "dutch"),
    [
        ("What should we write about market forces?", "marktwerking"),
        ("Should we stop tendering youth care?", "aanbesteden"),
        ("Which alderman should hold youth and education?", "wethouder"),
        ("What about young people turning 18?", "verlengde jeugdzorg"),
        ("How do we deal with closed youth care?", "gesloten jeugdzorg"),
    ],
)
def test_glossary_maps_english_policy_words_to_dutch(question: str, dutch: str) -> None:
    assert dutch in expand(question)


def test_a_wording_inside_a_longer_one_adds_no_terms_of_its_own() -> None:
    """A "youth care" question is about jeugdzorg, not also "youth" (kinderen, jongeren
    ...), whose common words would outweigh the ones the question is about in BM25."""
    terms = expand("money for specialist youth care")
    assert {"jeugdzorg", "budget", "middelen", "specialistische zorg"} <= set(terms)
    assert "jongeren" not in terms and "kinderen" not in terms
    assert "jongeren" in expand("youth and money")  # on its own, "youth" still counts


def test_glossary_entries_all_have_dutch_terms() -> None:
    concepts = load_glossary()
    assert len(concepts) >= 40
    assert all(c.nl for c in concepts)


def test_tokenizer_stems_dutch_and_folds_accents() -> None:
    assert tokenize("aanbesteden") == tokenize("aanbesteding")
    assert tokenize("geïndexeerd") == tokenize("geindexeerd")
    assert "de" not in tokenize("de gemeente")


def test_bm25_finds_stemmed_match_and_honours_filter() -> None:
    import numpy as np

    ix = LexicalIndex.build(["a", "b"], ["stoppen met aanbestedingen", "lokale teams in de wijk"])
    assert ix.search(tokenize("aanbesteden"), k=5)[0][0] == "a"
    assert ix.search(tokenize("aanbesteden"), k=5, allowed=np.array([False, True])) == []


def test_privacy_defaults_are_set_on_import() -> None:
    import assistant  # noqa: F401

    for key, value in PRIVACY_DEFAULTS.items():
        assert os.environ.get(key) == value or key in os.environ


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JEUGDAKKOORD_INDEX", str(tmp_path / "ix"))
    monkeypatch.setenv("JEUGDAKKOORD_CORPUS", f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}")
    monkeypatch.setenv("JEUGDAKKOORD_TOP_K", "7")
    s = Settings.from_env()
    assert s.index_dir == tmp_path / "ix"
    assert s.corpus_dirs == (tmp_path / "a", tmp_path / "b")
    assert s.top_k == 7


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("JEUGDAKKOORD_TOP_K", "abc"),
        ("JEUGDAKKOORD_TOP_K", "0"),
        ("JEUGDAKKOORD_PORT", "70000"),
        ("JEUGDAKKOORD_EMBED_BATCH_CHARS", "1.5"),
        ("JEUGDAKKOORD_LLM_TIMEOUT", "nan"),
        ("JEUGDAKKOORD_WORKERS", "-1"),
        ("JEUGDAKKOORD_TRUSTED_PROXIES", "127.0.0.1,proxy.example"),
    ],
)
def test_invalid_settings_raise_a_settings_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    from assistant.core.settings import SettingsError

    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"^{variable}=") as info:
        Settings.from_env()
    assert info.value.name == variable
