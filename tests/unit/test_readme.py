"""The README documents every setting and the commands it promises."""

from assistant.core.settings import SETTINGS_DOC, settings_table
from tests.conftest import ROOT


def test_readme_documents_every_environment_variable_and_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS_DOC:
        assert f"`{setting.env}`" in readme, setting.env
    assert settings_table() in readme, (
        "the configuration table is out of date; paste the output of "
        '`python -c "from assistant.core.settings import settings_table; print(settings_table())"`'
    )
    for command in ("make run", "make test", "jeugdakkoord ingest", "jeugdakkoord search"):
        assert command in readme
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("install:", "run:", "test:", "lint:", "bench:"):
        assert target in makefile
    assert "torch==2.13.0" in makefile
