"""Every user-facing error message in one table, so the CLI, the HTTP API, the chat and the
Documents tab say the same thing (in Dutch or English) for the same error.

Exceptions name their message by a class attribute ``code`` (this module imports no other
layer); ``{detail}`` in a message is the exception's own text, the specific part (a path, a
variable, the fix). A message without ``{detail}`` gets ``: detail`` appended when there is
one, unless its code is in ``HIDDEN_DETAIL``. Other ``{name}`` fields are filled from the
keyword parameters of :func:`message` (a :class:`CodedError` carries them).
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
        "De index bevat nog geen documenten: voeg documenten toe aan de corpusmap (of via het "
        "tabblad Documenten) en voer `jeugdakkoord ingest` uit",
        "the index has no documents yet: add documents to the corpus folder (or in the "
        "Documents tab) and run `jeugdakkoord ingest`",
    ),
    "model_mismatch": ("De index hoort bij een ander embeddingmodel: {detail}", "{detail}"),
    "ingest_locked": ("Er loopt al een indexering: {detail}", "{detail}"),
    "embedding_error": ("Het embeddingmodel werkt niet: {detail}", "{detail}"),
    "model_file_error": ("Het modelbestand is onbruikbaar: {detail}", "{detail}"),
    "store_error": ("De vectoropslag werkt niet: {detail}", "{detail}"),
    "settings_error": ("Ongeldige instelling: {detail}", "{detail}"),
    "manifest_error": ("Het manifest kan niet worden gelezen: {detail}", "{detail}"),
    "unsafe_launch": ("Niet gestart: {detail}", "{detail}"),
    "feedback_store": ("De feedbackdatabase kan niet worden gebruikt: {detail}", "{detail}"),
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
    # A request that cannot be carried out (CLI exit 2, HTTP 422/503, a warning in the UI).
    "busy": (
        "Het is nu erg druk. Stel uw vraag over een minuut opnieuw.",
        "The assistant is very busy right now. Please ask again in a minute.",
    ),
    "too_many_requests": (
        "U heeft al werk voor {n} vragen tegelijk lopen; wacht tot het klaar is.",
        "you already have work worth {n} questions under way; wait until it is done",
    ),
    "topic_empty": (
        "Geef een onderwerp op, bijvoorbeeld ‘marktwerking’ of ‘onderwijs en jeugd’.",
        "Give a topic, for example ‘market forces’ or ‘education and youth care’.",
    ),
    "topic_too_long": (
        "Een onderwerp is een paar woorden (hoogstens {n} tekens), geen hele tekst.",
        "A topic is a few words (at most {n} characters), not a whole text.",
    ),
    "unknown_docs": ("Onbekende documenten: {docs}.", "Unknown documents: {docs}."),
    "clause_empty": ("een clausule heeft tekst nodig", "a clause needs text"),
    "clause_too_long": (
        "een clausule is hoogstens {n} tekens",
        "a clause is at most {n} characters",
    ),
    "edit_empty": (
        "de nieuwe tekst is leeg; gebruik verwijderen om een clausule te schrappen",
        "the new wording is empty; use remove to delete a clause",
    ),
    "chapter_name": (
        "een hoofdstuk heeft een naam nodig (letters of cijfers)",
        "a chapter needs a name (letters or digits)",
    ),
    "no_such_clause": (
        "er is geen clausule {position}: het hoofdstuk heeft {count} clausule(s)",
        "no clause {position}: the chapter has {count} clause(s)",
    ),
    "chapter_is_empty": ("het hoofdstuk is leeg", "the chapter is empty"),
    "not_addressed_clause": (
        "{publisher} gaat niet in op ‘{topic}’: er is geen clausule om toe te voegen",
        "{publisher} does not address ‘{topic}’: no clause to add",
    ),
    "chapter_conflict": (
        "Hoofdstuk {name!r} is intussen elders gewijzigd (versie {current}; deze wijziging "
        "ging uit van versie {expected}); laad het opnieuw en voer de wijziging opnieuw uit",
        "chapter {name!r} was changed elsewhere (version {current}, this change was made on "
        "version {expected}); reload it and make the change again",
    ),
    "chapter_empty": (
        "Hoofdstuk {name!r} heeft nog geen clausules: er is niets te exporteren",
        "chapter {name!r} has no clauses yet: nothing to export",
    ),
    "chapter_usage": ("Onjuist gebruik: {detail}", "{detail}"),
    "not_uploaded": (
        "{name}: geweigerd — dit bestand is niet via de uploadknop ontvangen.",
        "{name}: refused — this file was not received through the upload button.",
    ),
    # Feedback on a cited passage (issue #28); ``field`` names the request field at fault.
    "feedback_invalid": ("‘{field}’: ongeldige feedback", "‘{field}’: invalid feedback"),
    "feedback_question": (
        "‘{field}’: de vraag is leeg; geef de vraag waarop het antwoord kwam",
        "‘{field}’: the question is empty; give the question that was answered",
    ),
    "feedback_verdict": (
        "‘{field}’: het oordeel is ‘right’ (juist) of ‘wrong’ (onjuist)",
        "‘{field}’: the verdict is ‘right’ or ‘wrong’",
    ),
    "feedback_reason": (
        "‘{field}’: de reden is leeg of een van: {reasons}",
        "‘{field}’: the reason is empty or one of: {reasons}",
    ),
    "feedback_too_long": (
        "‘{field}’: te lang (hoogstens {n} tekens)",
        "‘{field}’: too long (at most {n} characters)",
    ),
    "feedback_chunk": (
        "‘{field}’: er is geen passage {chunk} in de index; kies een passage uit het "
        "antwoord of zoek er een",
        "‘{field}’: there is no passage {chunk} in the index; pick a passage of the answer "
        "or search for one",
    ),
    "feedback_off": ("Feedback staat uit: {detail}", "feedback is off: {detail}"),
    "feedback_missing": ("Er is geen feedback met nummer {id}", "there is no feedback {id}"),
    "feedback_rate": (
        "Te veel feedback in korte tijd; probeer het over {n} s opnieuw",
        "too much feedback in a short time; try again in {n} s",
    ),
    # The HTTP API's own refusals.
    "auth_required": (
        "Een gebruikersnaam en wachtwoord zijn nodig (HTTP Basic, zoals JEUGDAKKOORD_AUTH)",
        "a user name and password are required (HTTP Basic, as JEUGDAKKOORD_AUTH)",
    ),
    "unknown_doc_ids": ("Onbekende doc_ids: {docs}", "unknown doc_ids: {docs}"),
    "unknown_route": (
        "Deze API-route bestaat niet: {path}; zie /api/openapi.json",
        "no such API route: {path}; see /api/openapi.json",
    ),
    "invalid_request": ("Ongeldig verzoek: {problems}", "invalid request: {problems}"),
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
    "too_large": ("te groot om te indexeren", "too large to index"),
}

#: Codes whose message stands alone: their detail (a server path) is not shown to users.
HIDDEN_DETAIL = frozenset({"index_missing", "index_empty", "internal"})


def message(code: str, detail: str = "", lang: str = "en", **params: object) -> str:
    """The message of ``code`` in ``lang`` ("nl" or "en"), with ``detail`` and ``params``
    filled in (``{name!r}`` quotes a parameter)."""
    nl, en = MESSAGES.get(code, MESSAGES["internal"])
    text = nl if lang == "nl" else en
    for key, value in params.items():
        text = text.replace(f"{{{key}!r}}", repr(str(value))).replace(f"{{{key}}}", str(value))
    if code in HIDDEN_DETAIL:
        return text.replace(": {detail}", "").replace("{detail}", "")
    if "{detail}" in text:
        if detail:
            return text.replace("{detail}", detail)
        text = text.replace(": {detail}", "").replace("{detail}: ", "")
        return text.replace("{detail}", code.replace("_", " "))
    return f"{text}: {detail}" if detail else text


#: What kind of failure an error is, and how each face reports it: (HTTP status, exit code).
#: An error class says its kind in a ``kind`` class attribute; one without is a bug (500, a
#: traceback on the command line).
KINDS: dict[str, tuple[int, int]] = {
    "invalid": (422, 2),  # the request, a file or a setting is not usable as given
    "not_found": (404, 2),
    "conflict": (409, 2),  # changed by someone else meanwhile (a chapter's version)
    "forbidden": (403, 2),
    "too_many": (429, 2),  # this client asked too much at once
    "busy": (503, 2),  # every worker is taken, or an ingest holds the index: try again
    "unavailable": (503, 2),  # the index, a model, a store or a database cannot be used now
}


def error_kind(exc: BaseException) -> str | None:
    """The kind an error declares (a key of :data:`KINDS`), None for an unexpected one."""
    kind = getattr(type(exc), "kind", None)
    return kind if isinstance(kind, str) and kind in KINDS else None


def http_status(exc: BaseException) -> int:
    kind = error_kind(exc)
    return KINDS[kind][0] if kind else 500


def exit_code(exc: BaseException) -> int:
    kind = error_kind(exc)
    return KINDS[kind][1] if kind else 1


class CodedError(Exception):
    """An error whose words are the table's: ``code`` names the message and ``params`` fill
    it, so each surface can say it in its own language. ``str()`` is the message in ``lang``
    (the language of the request that failed: a Dutch topic gets a Dutch error), prefixed
    with ``subject`` when one is given (which of several inputs failed)."""

    code = "internal"
    kind = "invalid"

    def __init__(
        self, code: str | None = None, lang: str = "en", subject: str = "", **params: object
    ) -> None:
        if code is not None:
            self.code = code
        self.lang, self.subject, self.params = lang, subject, params
        super().__init__(self.text(lang))

    def text(self, lang: str) -> str:
        params = dict(self.params)
        words = message(self.code, str(params.pop("detail", "")), lang, **params)
        return f"‘{self.subject}’: {words}" if self.subject else words


def error_code(exc: BaseException) -> str:
    """The message code of an exception; ``internal`` for one that has none."""
    code = getattr(exc, "code", None)
    return code if isinstance(code, str) and code in MESSAGES else "internal"


def error_text(exc: BaseException, lang: str | None = None) -> str:
    """What the user reads for ``exc``: the same words on every surface. Without ``lang``,
    English, or a :class:`CodedError`'s own language."""
    if isinstance(exc, CodedError):
        return exc.text(lang or exc.lang)
    detail = getattr(exc, "detail", None)  # IngestError keeps its detail apart
    return message(error_code(exc), detail if isinstance(detail, str) else str(exc), lang or "en")
