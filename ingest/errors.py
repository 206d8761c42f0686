"""Why a file could not be ingested; the words (Dutch and English) are in
``assistant.core.errors.MESSAGES``, under each class's ``code``."""

from __future__ import annotations

from assistant.core.errors import MESSAGES, message


class IngestError(Exception):
    """A file-level problem: the file is reported and skipped, the rest is ingested."""

    kind = "invalid"  # how the faces report it (core.errors.KINDS)
    code = "unreadable"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or MESSAGES[self.code][0])
        self.detail = detail

    def message(self, lang: str = "en") -> str:
        return message(self.code, self.detail, lang)


class CorpusMissing(IngestError):
    """A configured corpus folder does not exist: the whole ingest stops, nothing changes."""

    code = "corpus_missing"


class EncryptedPDF(IngestError):
    code = "encrypted_pdf"


class NoTextLayer(IngestError):
    code = "no_text_layer"


class CorruptFile(IngestError):
    code = "corrupt_file"


class EmptyFile(IngestError):
    code = "empty_file"


class UnsupportedType(IngestError):
    code = "unsupported_type"


class NotText(IngestError):
    code = "not_text"


class EncryptedDocument(IngestError):
    code = "encrypted_document"


class OcrFoundNothing(IngestError):
    code = "ocr_no_text"


class NoMainText(IngestError):
    code = "no_main_text"


class TooLarge(IngestError):
    """Over one of the bounds of :mod:`ingest.limits` (the detail names it)."""

    code = "too_large"


class IngestCancelled(Exception):
    """The user cancelled the ingest: it stops between files or embedding batches and the
    current generation stays in use (not a file's failure: the whole run stops)."""


def _error_texts() -> list[tuple[str, str]]:
    """(English, Dutch) base texts of every per-file ingest error, most specific first."""
    classes: list[type[IngestError]] = [IngestError]
    for cls in classes:
        classes.extend(cls.__subclasses__())
    pairs = {
        (cls().message("en"), cls().message("nl")) for cls in classes if cls is not CorpusMissing
    }
    return sorted(pairs, key=lambda p: -len(p[0]))


def reason_text(reason: str, lang: str) -> str:
    """An ingest failure reason in the interface language (the index stores English)."""
    if lang != "nl":
        return reason
    for en, nl in _error_texts():
        if reason == en or reason.startswith(en + ": "):
            return nl + reason[len(en) :]
    return reason
