"""One registry for every kind of provider (embedders, rerankers, generators, stores).

Each kind's package registers its built-in providers here; a municipality adds its own without
editing the core, from an installed package that declares an entry point in the group
``jeugdakkoord.providers`` whose object is a :class:`Provider` (or a list of them)::

    [project.entry-points."jeugdakkoord.providers"]
    my-embedder = "my_package.jeugdakkoord:PROVIDER"

``jeugdakkoord models`` lists what is registered, and for what cannot run here the extra or
model it needs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from importlib.util import find_spec
from inspect import Parameter, signature
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.core.settings import Settings

KINDS = ("embedder", "reranker", "generator", "store")
ENTRY_POINT_GROUP = "jeugdakkoord.providers"


@dataclass(frozen=True)
class Provider:
    """How to make one provider and what it needs.

    ``load(argument, settings)`` receives the text after ``name:`` (for providers that take
    a model, e.g. ``st:<model>``; empty otherwise) and the caller's settings (a store also
    its folder, ``path=``). A plug-in's ``load(argument)`` of one parameter is accepted too.
    Call it through :meth:`make`.
    """

    kind: str
    name: str
    load: Callable[..., Any]
    description: str
    aliases: tuple[str, ...] = ()
    #: Whether the name is a prefix followed by an argument (``ce:<model>``).
    takes_argument: bool = False
    #: What the argument is (shown by ``models``), and its value when the bare name is given
    #: (None: the argument is required).
    argument_hint: str = "model name or path"
    default_argument: str | None = None
    #: Modules that must be importable, and the extra that installs them.
    requires: tuple[str, ...] = ()
    extra: str = ""
    #: A model or service it needs beyond the Python packages (shown by ``models``).
    needs: str = ""
    #: What else is missing to run it (e.g. its weights), checked by ``models``; None: nothing.
    check: Callable[[], str | None] | None = None
    names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown provider kind {self.kind!r}; use one of {KINDS}")
        object.__setattr__(self, "names", (self.name, *self.aliases))

    @property
    def usage(self) -> str:
        """How a user names it in a setting."""
        if not self.takes_argument:
            return self.name
        if self.default_argument is not None:
            return f"{self.name}[:<{self.argument_hint}>]"
        return f"{self.name}:<{self.argument_hint}>"

    def make(self, argument: str, settings: Settings, **extra: Any) -> Any:
        """The provider built for ``settings`` (never the environment behind its back)."""
        if _positional_parameters(self.load) < 2:
            return self.load(argument)
        return self.load(argument, settings, **extra)

    def missing(self) -> str | None:
        """What is missing to run it here (the pip command, or what ``check`` says), or None."""
        absent = [m for m in self.requires if find_spec(m) is None]
        if not absent:
            return self.check() if self.check else None
        if self.extra:
            return f"pip install 'jeugdakkoord[{self.extra}]'"
        return f"pip install {' '.join(absent)}"


def _positional_parameters(fn: Callable[..., Any]) -> int:
    """How many positional arguments ``fn`` takes (``*args``: any number)."""
    params = signature(fn).parameters.values()
    if any(p.kind is Parameter.VAR_POSITIONAL for p in params):
        return 99
    positional = (Parameter.POSITIONAL_ONLY, Parameter.POSITIONAL_OR_KEYWORD)
    return sum(p.kind in positional for p in params)


class Registry:
    """Providers by kind and name; entry points are read once, on first use."""

    def __init__(self) -> None:
        self._providers: dict[str, dict[str, Provider]] = {kind: {} for kind in KINDS}
        self._plugins_loaded = False
        self.plugin_errors: list[str] = []

    def register(self, provider: Provider) -> Provider:
        """Add ``provider`` (a later registration of the same name replaces it)."""
        self._providers[provider.kind][provider.name] = provider
        return provider

    def _load_plugins(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                obj = ep.load()
                found = [obj] if isinstance(obj, Provider) else list(obj)
                if not all(isinstance(p, Provider) for p in found):
                    raise TypeError("the entry point must name a Provider or a list of them")
            except Exception as exc:  # a broken plug-in must not take the product down
                self.plugin_errors.append(f"{ep.name} ({ep.value}): {exc}")
                continue
            for provider in found:
                self.register(provider)

    def of_kind(self, kind: str) -> list[Provider]:
        """The registered providers of ``kind``, built-in first."""
        self._load_plugins()
        return list(self._providers[kind].values())

    def find(self, kind: str, spec: str) -> tuple[Provider, str] | None:
        """The provider ``spec`` names and its argument, or None when none does."""
        for provider in self.of_kind(kind):
            for name in provider.names:
                if provider.takes_argument and spec.startswith(name + ":"):
                    return provider, spec.split(":", 1)[1]
                if provider.default_argument is not None and spec == name:
                    return provider, provider.default_argument
                if not provider.takes_argument and spec.lower() == name.lower():
                    return provider, ""
        return None

    def choices(self, kind: str) -> str:
        """``'a', 'b' or 'c:<model name or path>'`` for an error message."""
        names = [f"'{p.usage}'" for p in self.of_kind(kind)]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


REGISTRY = Registry()


class Loaded:
    """Providers loaded once per process and key (a model is loaded once, whoever asks),
    the oldest dropped beyond ``size``. Thread-safe; a failed load is not cached."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.RLock()

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            value = self._items[key] = load()
            while len(self._items) > self._size:
                self._items.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def register(provider: Provider) -> Provider:
    """Register a built-in provider in :data:`REGISTRY`."""
    return REGISTRY.register(provider)


def register_all(providers: Iterable[Provider]) -> None:
    for provider in providers:
        register(provider)
