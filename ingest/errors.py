"""Why a file could not be ingested, in words a user understands (Dutch and English)."""

from __future__ import annotations


class IngestError(Exception):
    """A file-level problem: the file is reported and skipped, the rest is ingested."""

    code = "unreadable"
    nl = "onleesbaar bestand"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.nl)
        self.detail = detail

    def message(self, lang: str = "en") -> str:
        base = self.nl if lang == "nl" else self.code.replace("_", " ")
        return f"{base}: {self.detail}" if self.detail else base


class EncryptedPDF(IngestError):
    code = "encrypted_pdf"
    nl = "versleutelde PDF (wachtwoord nodig)"


class NoTextLayer(IngestError):
    code = "no_text_layer"
    nl = "geen tekstlaag — gescand document?"

    def message(self, lang: str = "en") -> str:
        base = self.nl if lang == "nl" else "no text layer (scanned?)"
        return f"{base}: {self.detail}" if self.detail else base


class CorruptFile(IngestError):
    code = "corrupt_file"
    nl = "beschadigd of geen geldig bestand"


class EmptyFile(IngestError):
    code = "empty_file"
    nl = "leeg bestand"


class UnsupportedType(IngestError):
    code = "unsupported_type"
    nl = "bestandstype niet ondersteund"


class NotText(IngestError):
    code = "not_text"
    nl = "geen leesbare tekst (binair bestand?)"


class EncryptedDocument(IngestError):
    code = "encrypted_document"
    nl = "versleuteld document (wachtwoord nodig)"


class OcrFoundNothing(IngestError):
    code = "ocr_no_text"
    nl = "gescand document, maar OCR vond geen tekst"

    def message(self, lang: str = "en") -> str:
        base = self.nl if lang == "nl" else "scanned document, but OCR found no text"
        return f"{base}: {self.detail}" if self.detail else base


class NoMainText(IngestError):
    code = "no_main_text"
    nl = "geen hoofdtekst gevonden (alleen scripts, opmaak of navigatie?)"

    def message(self, lang: str = "en") -> str:
        base = (
            self.nl if lang == "nl" else "no main text found (only scripts, styles or navigation?)"
        )
        return f"{base}: {self.detail}" if self.detail else base


def _error_texts() -> list[tuple[str, str]]:
    """(English, Dutch) base texts of every ingest error, most specific first."""
    classes: list[type[IngestError]] = [IngestError]
    for cls in classes:
        classes.extend(cls.__subclasses__())
    pairs = {(cls().message("en"), cls().message("nl")) for cls in classes}
    return sorted(pairs, key=lambda p: -len(p[0]))


def reason_text(reason: str, lang: str) -> str:
    """An ingest failure reason in the interface language (the index stores English)."""
    if lang != "nl":
        return reason
    for en, nl in _error_texts():
        if reason == en or reason.startswith(en + ": "):
            return nl + reason[len(en) :]
    return reason
