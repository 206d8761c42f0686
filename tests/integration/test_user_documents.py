"""Issue 25 end to end: a user's own documents without manifest entries (a browser-printed
regulation, a Word letter made from an old template, a Markdown coalition agreement of an
invented municipality) get their metadata from their text; edits from the CLI and from the
Documents tab's handlers go to the manifest and into the index without embedding anything
or reading the files again; a broken manifest and an edit during an ingest lose nothing.
Real loaders, embedder, Chroma and Gradio handlers."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core.settings import Settings
from assistant.store.index import FileRecord, ingest_lock, load_chunks, read_current
from ingest import pipeline
from ingest.library import Library
from ingest.pipeline import ingest
from tests.conftest import call_cli, copy_embedding_cache, run_cli
from tests.unit.test_metadata import browser_print

#: A Gradio warning from a handler is a bug the server log would show (issue #26).
pytestmark = pytest.mark.filterwarnings("error::UserWarning")

AGREEMENT = """# Samen bouwen aan Waterveen

Coalitieakkoord 2026-2030 van de gemeente Waterveen.

## Jeugd

Het Waterveense akkoord kiest voor preventie: elke school krijgt een jeugdwerker, en
wachtlijsten in de jeugdhulp gaan binnen twee jaar omlaag.

## Onderwijs

Scholen en wijkteams in Waterveen werken samen zodat leerlingen op tijd hulp krijgen.
"""


def _letter(path: Path) -> Path:
    """A Word letter from a 2013 template: junk core title, core date 2013-12-23."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Document1"
    document.core_properties.created = dt.datetime(2013, 12, 23, 10, 0)
    document.core_properties.modified = dt.datetime(2013, 12, 23, 10, 0)
    document.add_paragraph("Gemeente Waterveen")
    document.add_paragraph("Waterveen, 14 april 2026")
    document.add_heading("Advies van de jeugdraad over preventie", level=1)
    document.add_paragraph(
        "De jeugdraad adviseert het college om in elke wijk een jongerenwerker aan te stellen "
        "en de jeugdhulp dichter bij school te organiseren."
    )
    document.save(str(path))
    return path


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    browser_print(folder / "verordening-jeugdhulp.pdf")
    (folder / "coalitieakkoord-waterveen.md").write_text(AGREEMENT, encoding="utf-8")
    letters = folder / "brieven"
    letters.mkdir()
    _letter(letters / "advies-jeugdraad.docx")
    # A subfolder's manifest applies to its files, named relative to it.
    (letters / "manifest.toml").write_text(
        '# letters\n[[document]]\nfile = "advies-jeugdraad.docx"\ntype = "letter"\n'
        'aliases = ["de jeugdraad"]\n',
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The fixture corpus ingested once: its embedding cache seeds every test's index."""
    base = tmp_path_factory.mktemp("userdocs")
    settings = Settings(corpus_dirs=(_corpus(base / "corpus"),), index_dir=base / "index")
    summary = ingest(settings)
    assert summary.ok, summary.failed
    yield base / "index" / "embeddings.sqlite"


@pytest.fixture
def user_index(seeded: Path, tmp_path: Path) -> Settings:
    settings = Settings(corpus_dirs=(_corpus(tmp_path / "corpus"),), index_dir=tmp_path / "index")
    copy_embedding_cache(seeded, settings.index_dir)
    summary = ingest(settings)
    assert summary.ok and summary.embedded == 0, summary
    return settings


def _records(settings: Settings) -> dict[str, FileRecord]:
    gen = read_current(settings.index_dir)
    assert gen is not None
    return gen.files


def test_metadata_comes_from_the_documents_and_is_marked_inferred(user_index: Settings) -> None:
    files = _records(user_index)
    reg = files["verordening-jeugdhulp.pdf"]
    assert reg.title == "Verordening jeugdhulp gemeente Waterveen 2025"  # no site suffix
    assert (reg.publisher, reg.place, reg.date) == ("Gemeente Waterveen", "Waterveen", "2025-03-13")
    assert set(reg.inferred) == {"title", "publisher", "place", "date"}
    letter = files["brieven/advies-jeugdraad.docx"]
    assert letter.title == "Advies van de jeugdraad over preventie"  # not "Document1"
    assert letter.date == "2026-04-14"  # the letter's date, not the template's 2013-12-23
    assert letter.doc_type == "letter" and letter.aliases == ["de jeugdraad"]  # sub-manifest
    agreement = files["coalitieakkoord-waterveen.md"]
    assert (agreement.title, agreement.place) == ("Samen bouwen aan Waterveen", "Waterveen")
    assert agreement.date == "" and "date" not in agreement.inferred
    gen = read_current(user_index.index_dir)
    assert gen is not None
    chunks = [c for c in load_chunks(gen.folder) if c.doc_id == reg.doc_id]
    assert chunks and all(c.place == "Waterveen" for c in chunks)
    text = " ".join(c.text for c in chunks)
    assert "lokaleregelgeving" not in text and "14:0" not in text and "/4" not in text


def test_the_ingest_summary_names_what_was_inferred(seeded: Path, tmp_path: Path) -> None:
    settings = Settings(corpus_dirs=(_corpus(tmp_path / "corpus"),), index_dir=tmp_path / "index")
    copy_embedding_cache(seeded, settings.index_dir)
    result = call_cli(
        "ingest", "--json", "--corpus", str(settings.corpus_dirs[0]),
        "--index", str(settings.index_dir),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    inferred = dict(json.loads(result.stdout)["inferred"])
    assert inferred["verordening-jeugdhulp.pdf"]["publisher"] == "Gemeente Waterveen"
    assert inferred["brieven/advies-jeugdraad.docx"]["date"] == "2026-04-14"


class _NoEmbedding:
    """Stands in for the model during an edit: any passage sent to it fails the test."""

    def __init__(self, inner: object) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise AssertionError(f"embedded {len(texts)} passages for a metadata edit")


def test_an_edit_relabels_the_index_without_reading_or_embedding(
    user_index: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.get_embedder
    monkeypatch.setattr(
        pipeline, "get_embedder", lambda spec, settings=None: _NoEmbedding(real(spec, settings))
    )

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was read again for a metadata edit")

    monkeypatch.setattr(pipeline, "load", no_load)
    manifest = user_index.corpus_dirs[0] / "manifest.toml"
    ok, lines = Library(user_index).edit_metadata(
        "verordening-jeugdhulp.pdf",
        {"title": "Verordening jeugdhulp Waterveen 2025", "date": "1 april 2025",
         "aliases": ["de verordening"]},
        "nl",
        lambda f, d: None,
    )  # fmt: skip
    assert ok, lines
    assert "0 passages opnieuw ingebed" in lines[-1]
    reg = _records(user_index)["verordening-jeugdhulp.pdf"]
    assert (reg.title, reg.date, reg.aliases) == (
        "Verordening jeugdhulp Waterveen 2025", "2025-04-01", ["de verordening"]
    )  # fmt: skip
    assert set(reg.inferred) == {"publisher", "place"}  # the manifest wins for the rest
    gen = read_current(user_index.index_dir)
    assert gen is not None
    titles = {c.title for c in load_chunks(gen.folder) if c.doc_id == reg.doc_id}
    assert titles == {"Verordening jeugdhulp Waterveen 2025"}
    assert 'file = "verordening-jeugdhulp.pdf"' in manifest.read_text(encoding="utf-8")
    # Clearing a field lets the inferred value apply again.
    ok, _ = Library(user_index).edit_metadata(
        "verordening-jeugdhulp.pdf", {"date": ""}, "en", lambda f, d: None
    )
    assert ok and _records(user_index)["verordening-jeugdhulp.pdf"].date == "2025-03-13"


def test_an_edit_goes_to_the_subfolder_manifest_and_keeps_its_comments(
    user_index: Settings,
) -> None:
    ok, lines = Library(user_index).edit_metadata(
        "brieven/advies-jeugdraad.docx", {"publisher": "Jeugdraad Waterveen"}, "en",
        lambda f, d: None,
    )  # fmt: skip
    assert ok, lines
    sub = (user_index.corpus_dirs[0] / "brieven" / "manifest.toml").read_text(encoding="utf-8")
    assert sub.startswith("# letters\n") and 'publisher = "Jeugdraad Waterveen"' in sub
    assert 'type = "letter"' in sub
    assert not (user_index.corpus_dirs[0] / "manifest.toml").exists()
    letter = _records(user_index)["brieven/advies-jeugdraad.docx"]
    assert letter.publisher == "Jeugdraad Waterveen" and letter.place == ""


def test_a_broken_manifest_is_named_and_nothing_is_lost(user_index: Settings) -> None:
    sub = user_index.corpus_dirs[0] / "brieven" / "manifest.toml"
    broken = '[[document]]\nfile = "advies-jeugdraad.docx"\ntype = "letter\n'
    sub.write_text(broken, encoding="utf-8")
    ok, lines = Library(user_index).edit_metadata(
        "brieven/advies-jeugdraad.docx", {"title": "X"}, "nl", lambda f, d: None
    )
    assert not ok and "Niet opgeslagen" in lines[0]
    assert f"{sub}, line 3" in lines[0]
    assert sub.read_text(encoding="utf-8") == broken  # not overwritten
    summary = ingest(user_index)
    assert any(f"{sub}, line 3" in w for w in summary.warnings)
    letter = _records(user_index)["brieven/advies-jeugdraad.docx"]
    assert letter.doc_type == "letter" and letter.aliases == ["de jeugdraad"]  # kept


def test_an_edit_during_an_ingest_is_refused(user_index: Settings) -> None:
    manifest = user_index.corpus_dirs[0] / "manifest.toml"
    with ingest_lock(user_index.index_dir):
        ok, lines = Library(user_index).edit_metadata(
            "coalitieakkoord-waterveen.md", {"date": "2026-05-01"}, "nl", lambda f, d: None
        )
    assert not ok and "Er loopt een indexering" in lines[0]
    assert not manifest.exists()
    assert _records(user_index)["coalitieakkoord-waterveen.md"].date == ""


def test_docs_set_and_show_from_the_command_line(user_index: Settings) -> None:
    where = ["--corpus", str(user_index.corpus_dirs[0]), "--index", str(user_index.index_dir)]
    result = run_cli(
        "docs", "set", "coalitieakkoord-waterveen.md", *where, "--date", "12 mei 2026",
        "--publisher", "VVD, D66 en GroenLinks Waterveen", "--type", "agreement",
        "--alias", "het Waterveense akkoord",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "0 passages embedded again" in result.stdout
    shown = call_cli("docs", "show", "coalitieakkoord-waterveen.md", "--json", *where)
    row = json.loads(shown.stdout)
    assert (row["date"], row["type"], row["aliases"]) == (
        "2026-05-12", "agreement", ["het Waterveense akkoord"]
    )  # fmt: skip
    assert row["inferred"] == ["title"]  # place not inferred: the manifest names a publisher
    bad = call_cli("docs", "set", "coalitieakkoord-waterveen.md", *where, "--date", "gisteren")
    assert bad.returncode == 2 and "'gisteren' is not a date" in bad.stderr
    listed = call_cli("docs", "list", *where)
    assert "Verordening jeugdhulp gemeente Waterveen 2025  (inferred)" in listed.stdout


def test_the_documents_tab_handlers_edit_and_mark_inferred_values(user_index: Settings) -> None:
    from assistant.ui.app import ChatApp

    app = ChatApp(user_index)
    table = app.library_views("nl", None)[0].value
    rows = {row[0]: row for row in table["data"]}
    assert rows["verordening-jeugdhulp.pdf"][2] == "Gemeente Waterveen (afgeleid)"
    form = app.meta.fields("brieven/advies-jeugdraad.docx")
    assert form == ("Advies van de jeugdraad over preventie", "Gemeente Waterveen",
                    "2026-04-14", "letter", "de jeugdraad")  # fmt: skip
    out = app.meta.save(
        "brieven/advies-jeugdraad.docx", form[0], form[1], "2026-04-15", "letter", form[4],
        "en", None, progress=lambda *a, **k: None,
    )  # fmt: skip
    assert "0 passages embedded again" in out[0]
    rows = {row[0]: row for row in out[1].value["data"]}
    assert rows["brieven/advies-jeugdraad.docx"][3] == "2026-04-15"  # set: not marked
    assert rows["brieven/advies-jeugdraad.docx"][2] == "Gemeente Waterveen (inferred)"
    sub = (user_index.corpus_dirs[0] / "brieven" / "manifest.toml").read_text(encoding="utf-8")
    assert 'date = "2026-04-15"' in sub and "title" not in sub  # only what changed
    nothing = app.meta.save(
        "brieven/advies-jeugdraad.docx",
        *app.meta.fields("brieven/advies-jeugdraad.docx"),
        "en",
        None,
        progress=lambda *a, **k: None,
    )
    assert nothing[0] == "Nothing was changed."
    shutil.rmtree(app.downloads, ignore_errors=True)
