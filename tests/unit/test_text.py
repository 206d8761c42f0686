from assistant.core.text import detect_language, match_key


def test_language_detection() -> None:
    assert detect_language("What should we write about market forces?") == "en"
    assert detect_language("Wat schrijven we op over marktwerking?") == "nl"
    assert detect_language("marktwerking") == "nl"  # ties go to the corpus language


def test_match_key_ignores_markup_spacing_and_line_hyphens() -> None:
    assert match_key("We stoppen met **marktwerking**,\n open-house") == match_key(
        "we stoppen met marktwerking, open-house"
    )
    assert match_key("jeugd-\n zorg") == "jeugdzorg"
