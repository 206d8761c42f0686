"""Every user-facing error message in one table, so the CLI, the HTTP API, the chat and the
Documents tab say the same thing (in Dutch or English) for the same error.

Exceptions name their message by a class attribute ``code`` (this module imports no other
layer); ``{detail}`` in a message is the exception's own text, the specific part (a path, a
variable, the fix). A message without ``{detail}`` gets ``: detail`` appended when there is
one, unless its code is in ``HIDDEN_DETAIL``.
"""

from __future__ import annotations

#: code -> (Dutch, English).
MESSAGES: dict[str, tuple[str, str]] = {
    # Whole-run errors (CLI exit 2, HTTP 422/503, a message in the chat or Documents tab).
    "index_error": ("De index is niet bruikbaar: {detail}", "{detail}"),
    "index_missing": (
        "Er zijn nog geen documenten geïndexeerd; voer eerst `jeugdakkoord ingest` uit",
        "no documents have been indexed yet; run `jeugdakkoord ingest` first",
    ),
    "index_empty": (
        "De index bevat nog geen documenten: voeg PDF-, TXT- of Markdown-bestanden toe aan de "
        "corpusmap en voer `jeugdakkoord ingest` uit",
        "the index has no documents yet: add PDF, TXT or Markdown files to the corpus folder "
        "and run `jeugdakkoord ingest`",
    ),
    "model_mismatch": ("De index hoort bij een ander embeddingmodel: {detail}", "{detail}"),
    "ingest_locked": ("Er loopt al een indexering: {detail}", "{detail}"),
    "embedding_error": ("Het embeddingmodel werkt niet: {detail}", "{detail}"),
    "model_file_error": ("Het modelbestand is onbruikbaar: {detail}", "{detail}"),
    "store_error": ("De vectoropslag werkt niet: {detail}", "{detail}"),
    "settings_error": ("Ongeldige instelling: {detail}", "{detail}"),
    "generator_error": ("De tekstgenerator werkt niet: {detail}", "{detail}"),
    "rerank_error": ("De herrangschikker werkt niet: {detail}", "{detail}"),
    "query_error": (
        "{detail}: typ een vraag, bijv. 'Wat schrijven we op over marktwerking?'",
        "{detail}: type a question, e.g. 'Wat schrijven we op over marktwerking?'",
    ),
    "corpus_missing": ("{detail}", "{detail}"),
    "internal": (
        "interne fout: het verzoek kon niet worden beantwoord",
        "internal error: the request could not be answered",
    ),
    # Why one file could not be ingested (stored in English in the index, shown per file).
    "unreadable": ("onleesbaar bestand", "unreadable"),
    "encrypted_pdf": ("versleutelde PDF (wachtwoord nodig)", "encrypted pdf"),
    "no_text_layer": ("geen tekstlaag — gescand document?", "no text layer (scanned?)"),
    "corrupt_file": ("beschadigd of geen geldig bestand", "corrupt file"),
    "empty_file": ("leeg bestand", "empty file"),
    "unsupported_type": ("bestandstype niet ondersteund", "unsupported type"),
    "not_text": ("geen leesbare tekst (binair bestand?)", "not text"),
    "encrypted_document": ("versleuteld document (wachtwoord nodig)", "encrypted document"),
    "ocr_no_text": (
        "gescand document, maar OCR vond geen tekst",
        "scanned document, but OCR found no text",
    ),
    "no_main_text": (
        "geen hoofdtekst gevonden (alleen scripts, opmaak of navigatie?)",
        "no main text found (only scripts, styles or navigation?)",
    ),
}

#: Codes whose message stands alone: their detail (a server path) is not shown to users.
HIDDEN_DETAIL = frozenset({"index_missing", "index_empty", "internal"})


def error_code(exc: BaseException) -> str:
    """The message code of an exception; ``internal`` for one that has none."""
    code = getattr(exc, "code", None)
    return code if isinstance(code, str) and code in MESSAGES else "internal"


def message(code: str, detail: str = "", lang: str = "en") -> str:
    """The message of ``code`` in ``lang`` ("nl" or "en"), with ``detail`` filled in."""
    nl, en = MESSAGES.get(code, MESSAGES["internal"])
    text = nl if lang == "nl" else en
    if code in HIDDEN_DETAIL:
        return text.replace(": {detail}", "").replace("{detail}", "")
    if "{detail}" in text:
        if detail:
            return text.replace("{detail}", detail)
        text = text.replace(": {detail}", "").replace("{detail}: ", "")
        return text.replace("{detail}", code.replace("_", " "))
    return f"{text}: {detail}" if detail else text


def error_text(exc: BaseException, lang: str = "en") -> str:
    """What the user reads for ``exc``: the same words on every surface."""
    detail = getattr(exc, "detail", None)  # IngestError keeps its detail apart
    return message(error_code(exc), detail if isinstance(detail, str) else str(exc), lang)
