"""One error convention (#27): every error the product raises declares its kind, and every
face reports a kind the same way (its HTTP status, its exit code)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import assistant
import ingest
from assistant.core.errors import KINDS, MESSAGES, error_kind, error_text, exit_code, http_status
from assistant.serve.api import error_of

#: Exceptions that are control flow, not errors a user reads.
NOT_ERRORS = {"ingest.errors.IngestCancelled"}


def _product_errors() -> list[type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for package in (assistant, ingest):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, obj in vars(module).items():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, Exception)
                    and obj.__module__ == module.__name__
                ):
                    found[f"{obj.__module__}.{name}"] = obj
    return [cls for name, cls in sorted(found.items()) if name not in NOT_ERRORS]


def test_every_product_error_declares_its_kind() -> None:
    errors = _product_errors()
    assert len(errors) > 20  # the walk finds them
    nameless = [c.__name__ for c in errors if getattr(c, "code", None) not in MESSAGES]
    assert nameless == []  # each has its words in Dutch and English
    undeclared = [
        f"{c.__module__}.{c.__name__}" for c in errors if getattr(c, "kind", None) not in KINDS
    ]
    assert undeclared == []


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_maps_to_one_status_and_exit_code(kind: str) -> None:
    error = type("Example", (Exception,), {"kind": kind, "code": "store_error"})("the words")
    status, code = KINDS[kind]
    assert (error_kind(error), http_status(error), exit_code(error)) == (kind, status, code)
    assert error_of(error) == (status, error_text(error)) and "the words" in error_text(error)


def test_an_unexpected_error_is_internal_and_says_nothing_of_itself() -> None:
    secret = RuntimeError("/srv/index/secret.sqlite: no such table")
    assert error_kind(secret) is None and http_status(secret) == 500 and exit_code(secret) == 1
    status, words = error_of(secret)
    assert status == 500 and "secret" not in words
