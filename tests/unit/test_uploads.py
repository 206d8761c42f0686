"""Only files Gradio's upload route stored count as uploads (symlinks followed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.serve.uploads import NotUploaded, forged_paths, uploaded_file


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(Gradio's upload folder, a folder outside it), each with one text file."""
    uploads, outside = tmp_path / "gradio", tmp_path / "elders"
    for folder in (uploads, outside):
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "doc.txt").write_text("Wij investeren in preventie.\n")
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(uploads))
    return uploads, outside


def test_a_file_in_the_upload_folder_is_accepted(folders: tuple[Path, Path]) -> None:
    uploads, _ = folders
    doc = uploads / "sub" / "doc.txt"
    assert uploaded_file(str(doc)) == doc.resolve()
    (uploads / "alias.txt").symlink_to(doc)  # a link that stays inside is fine
    assert uploaded_file(uploads / "alias.txt") == doc.resolve()


def test_paths_outside_the_upload_folder_are_refused(folders: tuple[Path, Path]) -> None:
    uploads, outside = folders
    (uploads / "link.txt").symlink_to(outside / "sub" / "doc.txt")
    (uploads / "dirlink").symlink_to(outside / "sub")
    for path in (
        outside / "sub" / "doc.txt",
        f"{uploads}/../elders/sub/doc.txt",
        uploads / "link.txt",
        uploads / "dirlink" / "doc.txt",
        uploads / "sub",  # a folder
        uploads / "sub" / "missing.txt",
        "/etc/passwd",
        "http://127.0.0.1:7860/api/health",
        "",
    ):
        with pytest.raises(NotUploaded):
            uploaded_file(str(path))


def test_forged_paths_are_found_anywhere_in_a_request(folders: tuple[Path, Path]) -> None:
    uploads, outside = folders
    good = str(uploads / "sub" / "doc.txt")
    bad = str(outside / "sub" / "doc.txt")
    meta = {"_type": "gradio.FileData"}
    request = {
        "data": [[{"path": good, "meta": meta}, {"path": bad, "meta": meta}], "nl", ["a"]],
        "fn_index": 3,
    }
    assert forged_paths(request) == [bad]
    assert forged_paths({"data": [[{"path": good, "meta": meta}], "nl", []]}) == []
    assert forged_paths({"data": ["/etc/passwd", {"value": "x"}]}) == []  # no file objects
