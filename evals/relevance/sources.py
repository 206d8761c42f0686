"""The documents relevance pairs are made from, cut into passages (articles of laws).

Sources: the laws of ``../shared/scale-corpus/wetten-2015.tar.gz`` (public domain) and the
synthetic municipal texts in ``documents/`` written for this purpose. Excluded, because they
produce reported figures: the distractor laws of ``evals/distractors/`` (matched by BWB id and
by title line), the bundled ``corpus/`` and anything under ``evals/unseen/`` (matched by title
line and by normalised text), and under ``evals/unseen2/``.
"""

from __future__ import annotations

import hashlib
import re
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAWS_TARBALL = ROOT.parent / "shared" / "scale-corpus" / "wetten-2015.tar.gz"
OWN_DOCUMENTS = Path(__file__).resolve().parent / "documents"
#: Folders whose documents produce reported figures: never a source of training pairs.
EXCLUDED_DIRS = (
    ROOT / "evals" / "distractors",
    ROOT / "corpus",
    ROOT / "evals" / "unseen",
    ROOT / "evals" / "unseen2",
)
#: The distractor laws (Jeugdwet, Wmo 2015, Participatiewet / WWB) by BWB id.
EXCLUDED_BWB = frozenset({"BWBR0034925", "BWBR0035362", "BWBR0015703"})

MAX_PASSAGE_CHARS = 1500
MIN_PASSAGE_CHARS = 80

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,2}([^*_\n]+)[*_]{1,2}(?!\w)")
_ARTICLE = re.compile(r"^(?:artikel|§)\s*\S+", re.IGNORECASE)
_BWB = re.compile(r"BWBR\d{7}")
#: Articles that only amend another law or say when this one starts: no subject to ask about.
_FORMAL = re.compile(
    r"^(?:wijzigt |deze wet (?:treedt|kan|wordt)|lasten en bevelen|vervallen|"
    r"\[?vervallen|de artikelen .{0,40} vervallen)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Passage:
    doc_id: str
    passage_id: str
    #: The article heading ("Artikel 3") and its title when it has one.
    heading: str
    title: str
    #: The title of the section (chapter, paragraph) the passage is in, "" when none.
    section: str
    text: str


@dataclass
class Document:
    doc_id: str
    title: str
    passages: list[Passage] = field(default_factory=list)


def clean(text: str) -> str:
    """Markdown of the law files to plain text: links and emphasis to their words."""
    text = _LINK.sub(r"\1", text)
    return _EMPHASIS.sub(r"\1", text)


def fingerprint(text: str) -> str:
    """A hash of the words of ``text``: the same document in another format matches."""
    words = re.findall(r"\w+", clean(text).lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def title_line(text: str) -> str:
    """The first ``##`` title (laws) or first non-empty line, as words in lower case."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("<meta")]
    title = next((ln for ln in lines if ln.startswith("##")), lines[0] if lines else "")
    return " ".join(re.findall(r"\w+", clean(title).lower()))


@dataclass(frozen=True)
class Exclusions:
    titles: frozenset[str]
    fingerprints: frozenset[str]
    bwb: frozenset[str] = EXCLUDED_BWB
    #: The words of every excluded file, to find a law quoted there under its full title.
    words: str = ""

    def excludes(self, doc_id: str, text: str) -> bool:
        if set(_BWB.findall(doc_id)) & self.bwb:
            return True
        title = title_line(text)
        if title in self.titles or (len(title) >= 40 and f" {title} " in self.words):
            return True
        return fingerprint(text) in self.fingerprints


def exclusions(dirs: Iterable[Path] = EXCLUDED_DIRS) -> Exclusions:
    """What the excluded folders hold, read only to exclude it: text files (.md, .txt) by
    title, text and the titles they quote; BWB ids named in any text file or manifest."""
    titles, prints, bwb, words = set(), set(), set(EXCLUDED_BWB), []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in (".md", ".txt", ".toml") or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            bwb.update(_BWB.findall(text))
            if path.suffix.lower() == ".toml":
                continue
            title = title_line(text)
            if len(title) > 20:  # a short first line ("inhoud") would exclude too much
                titles.add(title)
            prints.add(fingerprint(text))
            words.append(" ".join(re.findall(r"\w+", clean(text).lower())))
    return Exclusions(frozenset(titles), frozenset(prints), frozenset(bwb), f" {' '.join(words)} ")


def _cut(text: str, limit: int = MAX_PASSAGE_CHARS) -> str:
    if len(text) <= limit:
        return text
    end = max(text.rfind(". ", 0, limit), text.rfind("\n", 0, limit))
    return text[: end + 1 if end > limit // 2 else limit].rstrip()


def parse_markdown(doc_id: str, text: str) -> Document:
    """A law (or a text written like one): ``###`` headings open articles or sections, a
    ``####`` line right after is the article's or section's title."""
    lines = [ln for ln in text.splitlines() if not ln.startswith("<meta")]
    doc = Document(doc_id, title_line(text))
    heading, title, section = "", "", ""
    body: list[str] = []
    pending_title_for = ""  # "article" or "section" while the next #### names it

    def close() -> None:
        joined = "\n".join(ln.strip() for ln in body if ln.strip())
        joined = _cut(re.sub(r"[ \t]+", " ", clean(joined)))
        if heading and len(joined) >= MIN_PASSAGE_CHARS and not _FORMAL.match(joined):
            n = len(doc.passages)
            doc.passages.append(Passage(doc_id, f"{doc_id}#{n}", heading, title, section, joined))

    for line in lines:
        if line.startswith("####"):
            name = clean(line.lstrip("#")).strip()
            if pending_title_for == "article":
                title = name
            else:
                section = name
            pending_title_for = ""
            continue
        if line.startswith("##"):
            words = " ".join(clean(line.lstrip("#")).split())
            if line.startswith("###") and _ARTICLE.match(words):
                close()
                heading, title, body, pending_title_for = words, "", [], "article"
            elif line.startswith("###"):
                close()
                heading, body, pending_title_for = "", [], "section"
                section = ""
            continue
        if line.strip():
            pending_title_for = ""
        body.append(line)
    close()
    return doc


def law_documents(
    tarball: Path = LAWS_TARBALL, excluded: Exclusions | None = None, limit: int = 0
) -> Iterator[Document]:
    """The laws of the scale corpus (the first ``limit`` by path when > 0), minus the
    excluded ones, in path order. The archive is read once, in its own order (seeking back
    in a gzip stream decompresses it again from the start)."""
    excluded = excluded or exclusions()
    texts: dict[str, bytes] = {}
    with tarfile.open(tarball, mode="r|gz") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".md"):
                fh = tar.extractfile(member)
                if fh is not None:
                    texts[member.name] = fh.read()
    names = sorted(texts)[: limit or None]
    for name in names:
        text = texts[name].decode("utf-8", errors="replace")
        doc_id = "law:" + name.removeprefix("wet/").removesuffix("/README.md")
        if not excluded.excludes(doc_id, text):
            yield parse_markdown(doc_id, text)


def own_documents(folder: Path = OWN_DOCUMENTS) -> Iterator[Document]:
    """The synthetic municipal texts written for training."""
    for path in sorted(folder.glob("*.md")):
        yield parse_markdown(f"own:{path.stem}", path.read_text(encoding="utf-8"))


def imported_documents(folder: Path = OWN_DOCUMENTS) -> Iterator[Document]:
    """Policy texts imported under an open licence, one subfolder per source (see its
    PROVENANCE.toml), minus passages too short to ask about."""
    for path in sorted(folder.glob("*/*.md")):
        doc = parse_markdown(f"{path.parent.name}:{path.stem}", path.read_text(encoding="utf-8"))
        if doc.passages:
            yield doc
