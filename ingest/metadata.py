"""Document metadata for files without a manifest entry, inferred from the document itself.

A user's own files arrive without a manifest: a regulation printed from a website (its PDF
title ends in the site's name), a Word file made from an old template (its core date is the
template's), a coalition agreement in Markdown (no properties at all). The text says who wrote
it and when ("DE RAAD VAN DE GEMEENTE ZEIST", "vastgesteld op 12 maart 2026"), so that is
read first; file properties only fill what the text leaves open. Everything here is rules,
not lists of sites or municipalities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.kinds import kind_of_title, kind_words
from assistant.core.wordlists import DUTCH_MONTHS, ROLE_HEADINGS

_MONTH_ALT = "|".join(DUTCH_MONTHS) + r"|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
_ABBREV = {"mrt": 3, "sept": 9, "okt": 10}

#: "12 maart 2026", "1 jan. 2025", "12-03-2026", "12/3/2026", "2026-03-12", "maart 2026".
_DATE = (
    rf"(?:\d{{1,2}}\s+(?:{_MONTH_ALT})\.?\s+\d{{4}}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
    r"|\d{4}-\d{2}-\d{2}"
    rf"|(?:{_MONTH_ALT})\.?\s+\d{{4}})"
)
_DATE_RE = re.compile(_DATE, re.I)
#: A date the text gives as the document's own, strongest first.
_LABELLED_DATES = (
    re.compile(rf"\bvastgesteld\b[^.\n]{{0,60}}?\b({_DATE})", re.I),
    re.compile(rf"\bgeldend\s+van\s+({_DATE})", re.I),
    re.compile(rf"\b(?:datum|date|d\.d\.)\s*:?\s*({_DATE})", re.I),
    re.compile(rf"\bbesluit\s+van\s+({_DATE})", re.I),
)
#: A letter's date line: "Zeist, 12 maart 2026" or the date alone, near the top.
_LETTER_DATE_RE = re.compile(rf"^(?:[A-Z][\w' -]{{1,40}},\s*)?({_DATE})\s*$", re.I)

#: A municipality's name as written after "gemeente": capitalised words, Dutch particles
#: between them ("Bergen op Zoom", "Alphen aan den Rijn"), a leading article ("De Bilt",
#: "'s-Hertogenbosch").
_NAME = (
    r"(?:(?:'s-|'t\s|De\s|Den\s|Het\s)?[A-ZÀ-Ý][\w'’-]*[\w]"
    r"(?:\s(?:(?:aan|op|in|bij|den|de|der|het|en|ter|te|a/d)\s)+[A-ZÀ-Ý][\w'’-]*[\w])*)"
)
#: Who decides in the document; the phrase in any case, the name as capitalised as names are.
_STRONG_PUBLISHER = (
    re.compile(rf"\b(?i:raad\s+van\s+de\s+gemeente)\s+({_NAME})"),
    re.compile(
        rf"\b(?i:college\s+van\s+burgemeester\s+en\s+wethouders\s+(?:van|der\s+gemeente))"
        rf"\s+({_NAME})"
    ),
    re.compile(rf"\b(?i:burgemeester\s+en\s+wethouders\s+van)\s+({_NAME})"),
)
_GEMEENTE_RE = re.compile(rf"\b[Gg]emeente\s+({_NAME})")
_GEMEENTE_CAPS_RE = re.compile(r"\bGEMEENTE\s+([A-Z][A-Z'’-]+(?:\s[A-Z][A-Z'’-]+)?)\b")
#: Words that follow "gemeente" without being its name ("de gemeente Wij ...").
_NOT_NAMES = {"de", "het", "een", "wij", "we", "ik", "u", "deze", "die", "dit", "en", "of"}

#: A title a program made up: "Microsoft Word - doc1.docx", "untitled", "Document1".
_JUNK_TITLE_RE = re.compile(
    r"^(?:microsoft\s+(?:word|powerpoint|excel)\s*-.*|untitled.*|naamloos.*|"
    r"(?:document|presentation|presentatie|book|map|slide)\s*\d*|title|titel|"
    r"[\w\s.()-]*\.(?:docx?|odt|pdf|pptx?|xlsx?|rtf|txt|html?|md))$",
    re.I,
)
#: Separators between a page's title and its site's name in a browser or CMS title.
_SEPARATOR_RE = re.compile(r"\s+(?:\||-|–|—|::|·|»)\s+")
_FILE_SUFFIX = r"(?:docx?|odt|pdf|pptx?|xlsx?|rtf|txt|html?|md)"
_DOMAIN_RE = re.compile(rf"\b[\w-]+(?:\.[\w-]+)*\.(?!{_FILE_SUFFIX}\b)[a-z]{{2,6}}\b", re.I)


@dataclass
class Inferred:
    """What the document says about itself; ``inferred`` names the fields that were found."""

    title: str = ""
    publisher: str = ""
    place: str = ""
    date: str = ""
    #: the kind the title's head word names ("Verordening ..." is a law), else ""
    doc_type: str = ""
    inferred: list[str] = field(default_factory=list)


def _bare_word(title: str) -> str:
    """A title without numbering and punctuation, lower case ("1. Inleiding" -> "inleiding",
    "Bijlage I" -> "bijlage")."""
    words = re.findall(r"[^\W\d_]+", title.lower())
    if words and re.fullmatch(r"[ivxlc]+", words[-1]) and len(words) > 1:
        words = words[:-1]  # a roman numeral: "Bijlage I"
    return " ".join(words)


def is_junk_title(title: str, path: Path | None = None) -> bool:
    """A title no person chose: a program's default, a file name, too short to name anything,
    only a kind of document ("Brief") or the role of a part ("Inhoud", "Bijlage I")."""
    text = " ".join(title.split())
    if len(re.findall(r"\w", text)) < 3:
        return True
    if _JUNK_TITLE_RE.match(text):
        return True
    bare = _bare_word(text)
    if bare in ROLE_HEADINGS or bare in kind_words():
        return True
    return path is not None and text.lower() in {path.name.lower(), path.stem.lower()}


def plausible_name(author: str) -> str:
    """A file's author property when it can name a publisher: not a code ("FORM002"), a
    program's default ("Microsoft Office User") or a user name ("jdevries")."""
    text = " ".join(author.split())
    if not re.search(r"[^\W\d]", text) or (re.search(r"\d", text) and text.isupper()):
        return ""
    if re.fullmatch(r"(?i)(microsoft office user|user|gebruiker|admin|author|auteur)", text):
        return ""
    return "" if re.fullmatch(r"[a-z0-9._-]+", text) else text


def strip_site_suffix(title: str, text: str = "") -> str:
    """``title`` without the site or browser name a web page's title ends with.

    A trailing segment after " | ", " - ", " – " goes when it names a site: it holds a domain
    ("Rijksoverheid.nl"), or follows a pipe (page titles use it for the site), or the document
    text never says it while it does say the rest. Numbers ("2022 - 2026") always stay.
    """
    folded = " ".join(text.lower().split())
    while True:
        pieces = list(_SEPARATOR_RE.finditer(title))
        if not pieces:
            return title.strip()
        sep = pieces[-1]
        head, tail = title[: sep.start()].strip(), title[sep.end() :].strip()
        if len(re.findall(r"\w", head)) < 3 or not re.search(r"[^\W\d]", tail):
            return title.strip()
        domain = bool(_DOMAIN_RE.search(tail))
        pipe = "|" in sep.group(0) and len(tail.split()) <= 6
        absent = bool(folded) and tail.lower() not in folded and head.lower() in folded
        if not (domain or pipe or absent):
            return title.strip()
        title = head


def confirmed_title(raw_title: str, text: str) -> str:
    """Of a property title whose site-stripped part is no title ("Brief - Normenbrief 1
    januari 2025"), the other part as the text writes it: the name, with the date the text
    gives it ("Normenbrief 1 januari 2026": a template's title keeps last year's date)."""
    for part in reversed(_SEPARATOR_RE.split(raw_title)):
        if is_junk_title(part):
            continue
        name = re.split(r"\s+\d", part.strip(), maxsplit=1)[0].strip()
        if len(name) < 4:
            continue
        date = rf"(?:\s+(?:\d{{1,2}}\s+)?(?:{_MONTH_ALT})\s+\d{{4}}|\s+\d{{4}})?"
        m = re.search(rf"\b{re.escape(name)}\b{date}", text, re.IGNORECASE)
        if m:
            return " ".join(m.group(0).split())
    return ""


def _title_case(name: str) -> str:
    """A name written in capitals ("ZEIST", "BERGEN OP ZOOM") as it is usually written."""
    if not name.isupper():
        return name
    small = {"op", "aan", "den", "de", "der", "in", "bij", "en", "het", "ter", "te"}
    words = name.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _clean_name(name: str) -> str:
    name = re.sub(r"[\s'’-]+$", "", name.strip())
    first = name.split()[0].lower() if name.split() else ""
    return "" if not name or (first in _NOT_NAMES and len(name.split()) == 1) else name


def _addressed(text: str, start: int) -> bool:
    """Whether the phrase at ``start`` is the addressee of a letter ("Aan de raad van ...")."""
    line = text[text.rfind("\n", 0, start) + 1 : start]
    return bool(re.match(r"(?i)\s*(?:aan|t\.a\.v\.|ter attentie van|geachte?)\b", line))


def find_place(text: str, title: str = "") -> str:
    """The municipality the document is by, where the text says so.

    "DE RAAD VAN DE GEMEENTE ZEIST" or "college van burgemeester en wethouders van Zeist"
    anywhere; "gemeente Zeist" in the title or the first lines (a letterhead); else a
    municipality the text names at least twice and far more often than any other.
    """
    for pattern in _STRONG_PUBLISHER:
        for m in pattern.finditer(text):
            if _addressed(text, m.start()):
                continue  # "Aan het college van ... van Zeist": the addressee, not the author
            if name := _clean_name(_title_case(m.group(1))):
                return name
    top = "\n".join([title, *text.splitlines()[:6]])[:600]
    for m in [*_GEMEENTE_CAPS_RE.finditer(top), *_GEMEENTE_RE.finditer(top)]:
        if not _addressed(top, m.start()) and (name := _clean_name(_title_case(m.group(1)))):
            return name
    if name := _regulation_place(title, text):
        return name
    counts: dict[str, int] = {}
    for m in _GEMEENTE_RE.finditer(text):
        if name := _clean_name(m.group(1)):
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return ""
    best, n = max(counts.items(), key=lambda kv: kv[1])
    return best if n >= 2 and n >= 2 * (sum(counts.values()) - n) else ""


_TITLE_PLACE_RE = re.compile(rf"\s({_NAME})\s+(?:19|20)\d\d\s*$")


def _regulation_place(title: str, text: str) -> str:
    """The municipality a regulation's title ends with: Dutch regulations are titled
    "<Afstemmings>verordening <subject> <Gemeente> <year>" ("... IOAZ Diemen 2015"). The
    name must not follow the head word directly, be an acronym or a kind of document
    ("Participatiewet"), nor occur in the text as a common noun ("Verordening Jeugdhulp 2020")."""
    head = title.split(maxsplit=1)[0].lower() if title.split() else ""
    if not head.endswith("verordening"):
        return ""
    m = _TITLE_PLACE_RE.search(title)
    if not m or m.start(1) <= len(head) + 1:
        return ""
    name = m.group(1)
    if name.isupper() or kind_of_title(name) or re.search(rf"\b{re.escape(name.lower())}\b", text):
        return ""
    return _clean_name(name)


def place_of(publisher: str) -> str:
    """The municipality of a publisher "Gemeente X" (set in a manifest), else ""."""
    m = re.fullmatch(rf"gemeente\s+({_NAME})", " ".join(publisher.split()), re.I)
    return _clean_name(_title_case(m.group(1))) if m else ""


def parse_date(value: str) -> str:
    """An ISO date ("2026-03-12", or "2026-03" for a month) from a Dutch or numeric date."""
    value = value.strip().lower().rstrip(".")
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return value
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""
    m = re.fullmatch(rf"(?:(\d{{1,2}})\s+)?({_MONTH_ALT})\.?\s+(\d{{4}})", value)
    if not m:
        return ""
    word = m.group(2)
    month = _ABBREV.get(word) or next(
        i for i, name in enumerate(DUTCH_MONTHS, 1) if name[:3] == word[:3]
    )
    if m.group(1) is None:
        return f"{int(m.group(3)):04d}-{month:02d}"
    day = int(m.group(1))
    return f"{int(m.group(3)):04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else ""


def find_date(text: str, letterhead_date: str = "") -> str:
    """The document's own date: a letterhead's "Datum", "vastgesteld op …", "Geldend van …",
    "Datum: …", or a letter's date line near the top; "" when the text gives none."""
    m = _DATE_RE.search(letterhead_date)
    if m and (iso := parse_date(m.group(0))):
        return iso
    for pattern in _LABELLED_DATES:
        m = pattern.search(text)
        if m and (iso := parse_date(m.group(1))):
            return iso
    for line in text.splitlines()[:25]:
        m = _LETTER_DATE_RE.match(line.strip())
        if m and (iso := parse_date(m.group(1))):
            return iso
    return ""


def _latest_text_date(text: str) -> str:
    found = (parse_date(m.group(0)) for m in _DATE_RE.finditer(text[:50_000]))
    return max((d for d in found if d), default="")


def property_date(value: str, text: str) -> str:
    """A file property's date, unless the text has a date after it: a Word file made from a
    2013 template carries 2013 as its date while its text is of 2026."""
    iso = parse_date(value) if value else ""
    if not iso:
        return ""
    latest = _latest_text_date(text)
    return "" if latest and latest[:7] > iso[:7] else iso


#: A law's formal title and the short title it is cited by: "Wet van 9 oktober 2008, houdende
#: bepalingen over ... (Wet publieke gezondheid)", "Wet van 20 juni 2002 houdende Wet op het
#: onderwijstoezicht".
_FORMAL_TITLE = re.compile(
    r"^(?:Rijks)?(?:[Ww]et|[Bb]esluit|[Rr]egeling)\s+van\s+\d{1,2}\s+\w+\s+\d{4}\b.*?"
    r"(?:\(([A-Z][^()]{3,80})\)\s*$|\bhoudende\s+(?:(?:vaststelling|invoering)\s+"
    r"(?:van\s+(?:de|het|een)\s+)?)?([A-Z]\w*\b[^,;()]{3,80})$)"
)


#: A numbered heading ("2.1.6 Jeugdhulp ...", "3. Toegang") heads a section, not the document.
_SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s")


def citation_title(title: str) -> str:
    """The short title a formal title names, else the title itself."""
    m = _FORMAL_TITLE.match(" ".join(title.split()))
    if not m:
        return title
    short = (m.group(1) or m.group(2)).strip()
    return short if kind_of_title(short) else title


def first_heading(headings: list[str], place: str = "") -> str:
    """The first heading that names the document: not a bare "Gemeente X", a date or a
    part's role ("Inhoud"); a law by the short title its formal title cites."""
    for heading in headings:
        text = " ".join(heading.split())
        if len(re.findall(r"\w", text)) < 3 or _DATE_RE.fullmatch(text):
            continue
        if is_junk_title(text) or _SECTION_NUMBER.match(text):
            continue
        if place and text.lower() in {place.lower(), f"gemeente {place}".lower()}:
            continue
        return citation_title(text)[:200]
    return ""


def infer(
    meta: dict[str, str],
    text: str,
    headings: list[str],
    path: Path,
    letterhead: dict[str, str] | None = None,
) -> Inferred:
    """Title, publisher, place and date of a document from its text, then its properties.

    ``meta`` is what the file's properties say (``title``, ``author``, ``date``), ``text``
    the cleaned text, ``headings`` its headings in order.
    """
    letterhead = letterhead or {}
    out = Inferred()
    subject = letterhead.get("onderwerp") or letterhead.get("betreft") or ""
    raw_title = meta.get("title", "")
    junk = not raw_title or is_junk_title(raw_title, path)
    title = "" if junk else strip_site_suffix(raw_title, text)
    if subject:
        out.title = subject
    elif title and not is_junk_title(title, path):
        out.title = title
    elif raw_title:  # "Brief - Normenbrief 1 januari 2025": the part the text confirms
        out.title = confirmed_title(raw_title, text)
    # A document without a title property (Markdown, plain text) is titled by its first
    # heading, and a regulation's title names its municipality: read the place from that too.
    out.place = find_place(text, out.title or title or first_heading(headings))
    if out.place:
        out.publisher = f"Gemeente {out.place}"
    if not out.title:
        out.title = first_heading(headings, out.place)
    out.date = find_date(text, letterhead.get("datum", "")) or property_date(
        meta.get("date", ""), text
    )
    # A title that was only a kind ("Brief") still says the kind.
    out.doc_type = kind_of_title(out.title) or kind_of_title(title or raw_title)
    out.inferred = [name for name in ("title", "publisher", "place", "date") if getattr(out, name)]
    return out
