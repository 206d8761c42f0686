"""What the chat server process prints carries no content by default: warnings, tracebacks
(printed by a library, logged, uncaught in a thread or in the main thread) and log arguments
lose their text and keep where they came from. With ``JEUGDAKKOORD_LOG_CONTENT=1`` they keep
it. Run in a subprocess: redaction changes the whole process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SECRET = "Wat kost de jeugdzorg in Veere geheim"

SCRIPT = textwrap.dedent(
    f"""
    import logging, sys, threading, traceback, warnings
    from assistant.serve.redact import redact_output

    print("redacting:", redact_output(sys.argv[1] == "1"), flush=True)
    logging.basicConfig(level=logging.INFO)
    SECRET = {SECRET!r}

    def fail():
        raise ValueError("could not answer: " + SECRET)

    warnings.warn("returned too many output values: " + SECRET)
    logging.getLogger("library").warning("the question was %s", SECRET)
    logging.getLogger("library").info(ValueError(SECRET))
    try:
        fail()
    except ValueError:
        traceback.print_exc()  # as Gradio's queue prints a failed event
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
        sys.stderr.write(traceback.format_exc())
    try:
        try:
            fail()
        except ValueError as exc:
            raise RuntimeError("while handling " + SECRET) from exc
    except RuntimeError:
        traceback.print_exc()
    thread = threading.Thread(target=fail, name="worker")
    thread.start()
    thread.join()
    fail()  # uncaught
    """
)


def run(log_content: bool, folder: Path) -> subprocess.CompletedProcess[str]:
    script = folder / "server_like.py"  # a file, so that tracebacks show its source lines
    script.write_text(SCRIPT, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), "1" if log_content else "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_content_reaches_the_output_by_default(tmp_path: Path) -> None:
    done = run(log_content=False, folder=tmp_path)
    out = done.stdout + done.stderr
    assert "redacting: True" in done.stdout and done.returncode == 1
    assert "Veere" not in out and "geheim" not in out, out
    # What is left says what happened and where.
    assert "UserWarning (message withheld" in out
    assert "the question was %s (arguments withheld" in out
    assert "<ValueError> (message withheld" in out
    assert out.count("ValueError (message withheld") >= 5, out  # print, log, format, thread, main
    assert "RuntimeError (message withheld" in out and "direct cause" in out
    assert "Exception in thread worker" in out
    assert 'in fail\n    raise ValueError("could not answer: " + SECRET)' in out  # the code


def test_the_operator_can_let_content_through(tmp_path: Path) -> None:
    done = run(log_content=True, folder=tmp_path)
    out = done.stdout + done.stderr
    assert "redacting: False" in done.stdout
    assert out.count(SECRET) >= 6 and "withheld" not in out
