"""What the chat server process may print: never a question, answer, passage or file text,
unless the operator sets ``JEUGDAKKOORD_LOG_CONTENT=1``.

Libraries print more than their authors' own words: a Python warning carries its message
(Gradio's "returned too many output values" held the whole conversation), an exception's
message may quote the text it failed on, a log call's arguments may be anything. So, for the
whole process, once :func:`redact_output` ran:

- a warning prints its category and where it was raised, not its message;
- a traceback (``traceback.print_exc`` as Gradio's queue calls it, a log record's
  ``exc_info``, an uncaught exception in the main or another thread) prints its frames and
  the exception's type, not its message; locals never;
- a log record keeps its message template and drops the arguments.

The audit line (:mod:`assistant.core.audit`) is built from counts and passes unchanged.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import traceback
import warnings
from collections.abc import Iterator
from types import TracebackType
from typing import Any, TextIO

WITHHELD = "(message withheld; JEUGDAKKOORD_LOG_CONTENT=1 shows it)"
_SENTINEL: Any = object()
_installed = False


def redacted_traceback(
    exc_type: type[BaseException] | None,
    value: BaseException | None,
    tb: TracebackType | None,
) -> list[str]:
    """The traceback's lines (the chain included): frames and exception types only."""
    if value is None:
        return [f"{_type_name(exc_type)} {WITHHELD}\n"]
    te = traceback.TracebackException(type(value), value, tb, capture_locals=False)
    return list(_lines(te))


def _lines(te: traceback.TracebackException) -> Iterator[str]:
    if te.__cause__ is not None:
        yield from _lines(te.__cause__)
        yield "\nThe above exception was the direct cause of the following exception:\n\n"
    elif te.__context__ is not None and not te.__suppress_context__:
        yield from _lines(te.__context__)
        yield "\nDuring handling of the above exception, another exception occurred:\n\n"
    if te.stack:
        yield "Traceback (most recent call last):\n"
        yield from te.stack.format()
    yield f"{_type_name(te.exc_type)} {WITHHELD}\n"


def _type_name(exc_type: type[BaseException] | None) -> str:
    if exc_type is None:
        return "Exception"
    module = exc_type.__module__
    name = exc_type.__qualname__
    return name if module in ("builtins", "__main__") else f"{module}.{name}"


def _split(exc: Any, value: Any, tb: Any) -> tuple[Any, Any, Any]:
    """``print_exception``'s two call forms: ``(exc)`` and ``(type, value, tb)``."""
    if value is _SENTINEL:
        value = exc if isinstance(exc, BaseException) else None
        exc = type(value) if value is not None else None
        tb = value.__traceback__ if value is not None else None
    return exc, value, tb


def _print_exception(
    exc: Any,
    /,
    value: Any = _SENTINEL,
    tb: Any = _SENTINEL,
    limit: int | None = None,
    file: TextIO | None = None,
    chain: bool = True,
) -> None:
    out = file if file is not None else sys.stderr
    for line in redacted_traceback(*_split(exc, value, tb)):
        print(line, file=out, end="")


def _format_exception(
    exc: Any,
    /,
    value: Any = _SENTINEL,
    tb: Any = _SENTINEL,
    limit: int | None = None,
    chain: bool = True,
) -> list[str]:
    return redacted_traceback(*_split(exc, value, tb))


def _format_exception_only(exc: Any, /, value: Any = _SENTINEL) -> list[str]:
    exc_type, _, _ = _split(exc, value, None)
    return [f"{_type_name(exc_type)} {WITHHELD}\n"]


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    out = file if file is not None else sys.stderr
    with contextlib.suppress(OSError):  # no stream to warn on
        out.write(f"{filename}:{lineno}: {category.__name__} {WITHHELD}\n")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    name = args.thread.name if args.thread is not None else "?"
    sys.stderr.write(f"Exception in thread {name}:\n")
    _print_exception(args.exc_type, args.exc_value, args.exc_traceback)


def _record_factory(base: Any) -> Any:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = base(*args, **kwargs)
        if not isinstance(record.msg, str):
            record.msg = f"<{type(record.msg).__name__}> {WITHHELD}"
            record.args = None
        elif record.args:
            record.msg = f"{record.msg} (arguments withheld; JEUGDAKKOORD_LOG_CONTENT=1 shows them)"
            record.args = None
        if record.exc_info:
            record.exc_text = "".join(redacted_traceback(*record.exc_info)).rstrip("\n")
        return record

    return make


def redact_output(log_content: bool) -> bool:
    """Keep content out of everything this process prints (see the module's docstring);
    with ``log_content`` nothing changes. Returns whether redaction is on."""
    global _installed
    if log_content:
        return False
    if _installed:
        return True
    warnings.showwarning = _show_warning
    # print_exc and logging call print_exception, format_exc calls format_exception
    traceback.print_exception = _print_exception  # type: ignore[assignment]
    traceback.format_exception = _format_exception
    traceback.format_exception_only = _format_exception_only
    sys.excepthook = _print_exception
    threading.excepthook = _thread_hook
    logging.setLogRecordFactory(_record_factory(logging.getLogRecordFactory()))
    _installed = True
    return True
