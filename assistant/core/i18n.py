"""Every interface text of the chat UI, in Dutch (the default) and English.

Answers follow the language of the question (the assistant detects it); these strings only
label the interface, so the NL/EN switch can relabel everything without asking again.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("nl", "en")
DEFAULT_LANG = "nl"

STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        "page_title": "Jeugdakkoord",
        "heading": "Jeugdakkoord — bronnen voor de formatietafel",
        "subheading": "Antwoorden op vragen over jeugdbeleid, met de letterlijke passages uit "
        "de documenten en een conceptclausule voor het coalitieakkoord.",
        "language": "Taal",
        "tab_chat": "Chat",
        "tab_docs": "Documenten",
        "tab_settings": "Instellingen",
        "chat": "Gesprek",
        "chat_placeholder": "Stel een vraag over jeugdbeleid. Elk antwoord citeert de bronnen.",
        "question": "Uw vraag",
        "question_placeholder": "Bijvoorbeeld: Wat schrijven we op over marktwerking?",
        "ask": "Vraag",
        "clear": "Nieuw gesprek",
        "examples": "Voorbeeldvragen",
        "filter": "Alleen zoeken in",
        "filter_info": "Leeg laten om in alle documenten te zoeken.",
        "sources": "Bronnen",
        "sources_empty": "De passages waarop het antwoord steunt, verschijnen hier.",
        "clause": "Conceptclausule",
        "clause_none": "Bij dit antwoord hoort geen conceptclausule.",
        "download_docx": "Download .docx",
        "download_md": "Download .md",
        "refused_title": "Niet in de bronnen",
        "related": "Mogelijk verwant",
        "no_related": "Er zijn ook geen verwante passages gevonden.",
        "cited_quote": "geciteerd",
        "answer_error": "Er ging iets mis bij het beantwoorden: {error}",
        "scope_chip": "Alleen uit: {names}  ✕",
        "docs_table": "Documenten in de index",
        "col_file": "Bestand",
        "col_title": "Titel",
        "col_publisher": "Uitgever",
        "col_date": "Datum",
        "col_type": "Soort",
        "col_pages": "Pagina's",
        "col_chunks": "Passages",
        "col_status": "Status",
        "status_ok": "geïndexeerd",
        "status_failed": "mislukt: {reason}",
        "status_kept_previous": "vorige versie behouden: {reason}",
        "status_pending": "nog niet geïndexeerd",
        "upload": "Document toevoegen (PDF, Word, ODT, HTML, TXT, MD)",
        "upload_info": "Maximaal {mb} MB per bestand. Het document komt in de map {folder} en "
        "wordt meteen geïndexeerd.",
        "delete_pick": "Document om te verwijderen",
        "delete": "Verwijderen",
        "reindex": "Opnieuw indexeren",
        "result": "Resultaat",
        "up_added": "{name}: toegevoegd — {size}.",
        "up_unchanged": "{name}: stond al in de bibliotheek (ongewijzigd).",
        "up_renamed": "{name}: er staat al een ander bestand met die naam; opgeslagen als {saved}.",
        "up_failed": "{name}: niet geïndexeerd — {reason}. Het bestand staat in de documentmap; "
        "verwijder of vervang het.",
        "up_bad_type": "{name}: alleen PDF-, Word- (.docx), ODT-, HTML-, TXT- en MD-bestanden "
        "kunnen worden toegevoegd.",
        "up_not_office": "{name}: dit is geen {kind}-bestand (de inhoud is geen zip-archief).",
        "up_not_pdf": "{name}: dit is geen PDF-bestand (de inhoud begint niet met %PDF).",
        "up_binary": "{name}: dit is geen tekstbestand (de inhoud is binair of een PDF).",
        "up_too_big": "{name}: te groot ({size} MB; maximaal {mb} MB).",
        "up_empty": "{name}: leeg bestand.",
        "up_none": "Er is geen bestand ontvangen.",
        "locked": "Er loopt al een indexering; de index wordt daarna automatisch bijgewerkt.",
        "up_queued": "{name}: opgeslagen. Er loopt nog een indexering; het document wordt "
        "automatisch geïndexeerd zodra die klaar is.",
        "cancel_ingest": "Indexering stoppen",
        "cancelling": "De indexering stopt na het huidige bestand of de huidige reeks passages.",
        "not_running": "Er loopt geen indexering.",
        "cancelled": "Indexering gestopt; de vorige index blijft in gebruik.",
        "ingest_error": "Indexeren mislukt: {error}",
        "deleted": "{name} verwijderd; de index telt nu {docs} documenten.",
        "delete_none": "Kies eerst een document.",
        "delete_missing": "{name} staat niet (meer) in de documentmap.",
        "reindexed": "Index bijgewerkt: {files} documenten, {chunks} passages ({seconds} s).",
        "up_to_date": "De index was al bij met de documentmap.",
        "inferred_value": "{value} (afgeleid)",
        "meta_edit": "Gegevens van een document bewerken",
        "meta_pick": "Document",
        "meta_title": "Titel",
        "meta_publisher": "Uitgever (bijv. Gemeente Zeist)",
        "meta_date": "Datum (2026-03-12 of 12 maart 2026)",
        "meta_type": "Soort",
        "meta_aliases": "Andere namen (één per regel)",
        "meta_save": "Gegevens opslaan",
        "meta_help": "Velden met '(afgeleid)' zijn uit het document zelf gehaald. Wat u hier "
        "opslaat, gaat naar manifest.toml en gaat voor; een leeg veld laat de afgeleide waarde "
        "weer gelden.",
        "meta_none": "Kies eerst een document.",
        "meta_nothing": "Er is niets gewijzigd.",
        "meta_locked": "Er loopt een indexering; de gegevens zijn niet gewijzigd. Probeer het "
        "over een minuut opnieuw.",
        "meta_invalid": "Niet opgeslagen: {error}",
        "meta_saved": "Gegevens van {name} opgeslagen in {manifest}.",
        "meta_applied": "De index is bijgewerkt ({embedded} passages opnieuw ingebed).",
        "progress_files": "bestanden verwerken",
        "progress_file": "bestand {n} van {total}: {name}",
        "progress_embed": "passages inbedden",
        "progress_ocr": "tekstherkenning (OCR) {name}: pagina {done} van {total}",
        "set_model": "Embeddingmodel",
        "set_generator": "Generator",
        "set_judge": "Relevantiemodel",
        "judge_rules": "uit (de vaste regels beoordelen)",
        "set_index": "Indexmap",
        "set_corpus": "Documentmap",
        "set_docs": "Documenten",
        "set_chunks": "Passages",
        "set_generation": "Indexgeneratie",
        "extractive": "extractief",
        "no_index": "Er is nog geen index: voeg documenten toe op het tabblad Documenten.",
        "tab_positions": "Standpunten",
        "topic": "Onderwerp",
        "topic_placeholder": "Bijvoorbeeld: marktwerking, onderwijs en jeugd, gesloten jeugdzorg",
        "compare": "Vergelijk",
        "positions_empty": "Kies een onderwerp: per document verschijnt hier wat het aanbeveelt.",
        "matrix_topics": "Eigen onderwerpen voor de matrix (één per regel)",
        "matrix": "Matrix van alle onderwerpen",
        "download_csv": "Download .csv",
        "position_pick": "Standpunt van",
        "add_to_chapter": "Zet in concepthoofdstuk",
        "tab_chapter": "Concepthoofdstuk",
        "chapter_name": "Naam van het hoofdstuk",
        "chapter_empty": "Het hoofdstuk is nog leeg. Voeg clausules toe vanuit de chat of de "
        "standpunten.",
        "clause_pos": "Clausule nr.",
        "clause_text": "Tekst van de clausule",
        "up": "Omhoog",
        "down": "Omlaag",
        "save_clause": "Tekst opslaan",
        "remove_clause": "Verwijderen",
        "export_chapter": "Maak .docx met voetnoten",
        "edited": "bewerkt",
        "source_gone": "bron niet meer in het corpus: {titles}",
        "added": "Clausule toegevoegd aan ‘{name}’ (nu {n}).",
        "no_clause": "Er is geen conceptclausule om toe te voegen.",
        "conflict": "Het hoofdstuk is intussen elders gewijzigd (een ander tabblad of de "
        "opdrachtregel). De nieuwste versie staat hieronder; voer uw wijziging opnieuw uit.",
        "exported": "Het .docx-bestand staat klaar ({n} clausules, {notes} voetnoten).",
    },
    "en": {
        "page_title": "Jeugdakkoord",
        "heading": "Jeugdakkoord — sources for the coalition table",
        "subheading": "Answers to questions on youth policy, with the verbatim passages from the "
        "documents and a draft clause for the coalition agreement.",
        "language": "Language",
        "tab_chat": "Chat",
        "tab_docs": "Documents",
        "tab_settings": "Settings",
        "chat": "Conversation",
        "chat_placeholder": "Ask a question about youth policy. Every answer cites its sources.",
        "question": "Your question",
        "question_placeholder": "For example: What should we write about market forces?",
        "ask": "Ask",
        "clear": "New conversation",
        "examples": "Example questions",
        "filter": "Only search in",
        "filter_info": "Leave empty to search all documents.",
        "sources": "Sources",
        "sources_empty": "The passages the answer rests on appear here.",
        "clause": "Draft clause",
        "clause_none": "This answer comes without a draft clause.",
        "download_docx": "Download .docx",
        "download_md": "Download .md",
        "refused_title": "Not in the sources",
        "related": "Possibly related",
        "no_related": "No related passages were found either.",
        "cited_quote": "quoted",
        "answer_error": "Something went wrong while answering: {error}",
        "scope_chip": "Only from: {names}  ✕",
        "docs_table": "Documents in the index",
        "col_file": "File",
        "col_title": "Title",
        "col_publisher": "Publisher",
        "col_date": "Date",
        "col_type": "Type",
        "col_pages": "Pages",
        "col_chunks": "Passages",
        "col_status": "Status",
        "status_ok": "indexed",
        "status_failed": "failed: {reason}",
        "status_kept_previous": "previous version kept: {reason}",
        "status_pending": "not indexed yet",
        "upload": "Add document (PDF, Word, ODT, HTML, TXT, MD)",
        "upload_info": "At most {mb} MB per file. The document goes into the folder {folder} "
        "and is indexed at once.",
        "delete_pick": "Document to delete",
        "delete": "Delete",
        "reindex": "Re-index",
        "result": "Result",
        "up_added": "{name}: added — {size}.",
        "up_unchanged": "{name}: already in the library (unchanged).",
        "up_renamed": "{name}: a different file with that name exists; saved as {saved}.",
        "up_failed": "{name}: not indexed — {reason}. The file is in the document folder; "
        "delete or replace it.",
        "up_bad_type": "{name}: only PDF, Word (.docx), ODT, HTML, TXT and MD files can be added.",
        "up_not_office": "{name}: this is not a {kind} file (its content is not a zip archive).",
        "up_not_pdf": "{name}: this is not a PDF file (its content does not start with %PDF).",
        "up_binary": "{name}: this is not a text file (its content is binary or a PDF).",
        "up_too_big": "{name}: too large ({size} MB; at most {mb} MB).",
        "up_empty": "{name}: empty file.",
        "up_none": "No file was received.",
        "locked": "An ingest is already running; the index is updated automatically when it ends.",
        "up_queued": "{name}: saved. Another ingest is running; the document is indexed "
        "automatically when it ends.",
        "cancel_ingest": "Stop indexing",
        "cancelling": "Indexing stops after the current file or batch of passages.",
        "not_running": "No ingest is running.",
        "cancelled": "Indexing stopped; the previous index stays in use.",
        "ingest_error": "Indexing failed: {error}",
        "deleted": "{name} deleted; the index now holds {docs} documents.",
        "delete_none": "Choose a document first.",
        "delete_missing": "{name} is not in the document folder (any more).",
        "reindexed": "Index updated: {files} documents, {chunks} passages ({seconds} s).",
        "up_to_date": "The index was already up to date with the document folder.",
        "inferred_value": "{value} (inferred)",
        "meta_edit": "Edit a document's details",
        "meta_pick": "Document",
        "meta_title": "Title",
        "meta_publisher": "Publisher (e.g. Gemeente Zeist)",
        "meta_date": "Date (2026-03-12 or 12 maart 2026)",
        "meta_type": "Type",
        "meta_aliases": "Other names (one a line)",
        "meta_save": "Save details",
        "meta_help": "Values marked '(inferred)' were taken from the document itself. What you "
        "save here goes to manifest.toml and wins; an empty field lets the inferred value apply "
        "again.",
        "meta_none": "Choose a document first.",
        "meta_nothing": "Nothing was changed.",
        "meta_locked": "An ingest is running; nothing was changed. Try again in a minute.",
        "meta_invalid": "Not saved: {error}",
        "meta_saved": "Details of {name} saved in {manifest}.",
        "meta_applied": "The index is updated ({embedded} passages embedded again).",
        "progress_files": "processing files",
        "progress_file": "file {n} of {total}: {name}",
        "progress_embed": "embedding passages",
        "progress_ocr": "text recognition (OCR) {name}: page {done} of {total}",
        "set_model": "Embedding model",
        "set_generator": "Generator",
        "set_judge": "Relevance model",
        "judge_rules": "off (the fixed rules judge)",
        "set_index": "Index folder",
        "set_corpus": "Document folder",
        "set_docs": "Documents",
        "set_chunks": "Passages",
        "set_generation": "Index generation",
        "extractive": "extractive",
        "no_index": "There is no index yet: add documents on the Documents tab.",
        "tab_positions": "Positions",
        "topic": "Topic",
        "topic_placeholder": "For example: market forces, education and youth care",
        "compare": "Compare",
        "positions_empty": "Choose a topic: what each document recommends appears here.",
        "matrix_topics": "Your own topics for the matrix (one per line)",
        "matrix": "Matrix of all topics",
        "download_csv": "Download .csv",
        "position_pick": "Position of",
        "add_to_chapter": "Add to draft chapter",
        "tab_chapter": "Draft chapter",
        "chapter_name": "Chapter name",
        "chapter_empty": "The chapter is still empty. Add clauses from the chat or the positions.",
        "clause_pos": "Clause no.",
        "clause_text": "Clause text",
        "up": "Up",
        "down": "Down",
        "save_clause": "Save text",
        "remove_clause": "Remove",
        "export_chapter": "Make .docx with footnotes",
        "edited": "edited",
        "source_gone": "source no longer in the corpus: {titles}",
        "added": "Clause added to ‘{name}’ (now {n}).",
        "no_clause": "There is no draft clause to add.",
        "conflict": "The chapter was changed elsewhere in the meantime (another tab or the "
        "command line). The newest version is shown below; please make your change again.",
        "exported": "The .docx file is ready ({n} clauses, {notes} footnotes).",
    },
}

#: Singular and plural of the things the UI counts.
UNITS: dict[str, dict[str, tuple[str, str]]] = {
    "nl": {
        "page": ("pagina", "pagina's"),
        "passage": ("passage", "passages"),
        "ocr_page": ("pagina via OCR", "pagina's via OCR"),
        "table": ("tabel", "tabellen"),
    },
    "en": {
        "page": ("page", "pages"),
        "passage": ("passage", "passages"),
        "ocr_page": ("page by OCR", "pages by OCR"),
        "table": ("table", "tables"),
    },
}

#: The manifest's document types (letter | report | agreement | law | other) in words.
DOC_TYPES: dict[str, dict[str, str]] = {
    "nl": {
        "letter": "brief",
        "report": "rapport",
        "agreement": "akkoord",
        "law": "wet",
        "other": "overig",
        "document": "document",
    },
    "en": {},
}

#: Example questions, one button each; clicking one asks it.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "nl": (
        "Wat schrijven we op over marktwerking?",
        "Welke wethouder moet jeugd, onderwijs en kinderopvang krijgen?",
        "Wat adviseert de VNG over preventie?",
    ),
    "en": (
        "What should we write about market forces?",
        "Which alderman should get youth, education and childcare?",
        "What does the VNG advise about prevention?",
    ),
}


def lang_or_default(lang: str | None) -> str:
    """A supported language code; anything else (a tampered request) falls back to Dutch."""
    return lang if lang in STRINGS else DEFAULT_LANG


def t(lang: str | None, key: str, **values: object) -> str:
    """The interface text ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    text = STRINGS[lang_or_default(lang)][key]
    return text.format(**values) if values else text


def count(lang: str | None, n: int, unit: str) -> str:
    """'1 pagina', '3 pagina's'."""
    one, many = UNITS[lang_or_default(lang)][unit]
    return f"{n} {one if n == 1 else many}"


def doc_type(lang: str | None, value: str) -> str:
    return DOC_TYPES[lang_or_default(lang)].get(value, value)
