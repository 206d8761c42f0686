import pytest

from assistant.core.text import detect_language, match_key


def test_language_detection() -> None:
    assert detect_language("What should we write about market forces?") == "en"
    assert detect_language("Wat schrijven we op over marktwerking?") == "nl"
    assert detect_language("marktwerking") == "nl"  # ties go to the corpus language


@pytest.mark.parametrize(
    ("topic", "language"),
    [
        ("local teams", "en"),
        ("lokale teams", "nl"),
        ("childcare", "en"),
        ("kinderopvang", "nl"),
        ("full regional coverage of specialist youth care", "en"),  # "of" is Dutch too
        ("defence spending", "en"),
        ("Europese Unie", "nl"),  # no glossary word either way: the corpus language
        ("open-house", "nl"),  # a wording both sides use decides nothing
    ],
)
def test_a_short_topic_without_function_words_is_told_by_its_policy_words(
    topic: str, language: str
) -> None:
    assert detect_language(topic) == language


def test_match_key_ignores_markup_spacing_and_line_hyphens() -> None:
    assert match_key("We stoppen met **marktwerking**,\n open-house") == match_key(
        "we stoppen met marktwerking, open-house"
    )
    assert match_key("jeugd-\n zorg") == "jeugdzorg"
