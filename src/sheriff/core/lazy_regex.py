"""Regular expressions compiled when first used, not when their module is imported.

The parsers and the log model define some 580 stdlib patterns at import. Compiling them
all took ~0.15 s of every ``sheriff triage`` run on the development VM (about a quarter
of the whole run on a small log), while one log exercises only the few parsers whose
rules fire on it. ``lazy_compile`` returns a stand-in that compiles its pattern on first use;
after that, the compiled pattern's methods are the stand-in's own attributes, so a call
costs what it costs on a compiled pattern.

A stand-in offers what the code uses of ``re.Pattern``: its methods, ``pattern``,
``flags``, ``groups`` and ``groupindex``. It is not a ``re.Pattern``: pass
``.pattern`` where a module-level ``re`` function wants one. A mistyped pattern raises
``re.error`` when first used; ``compile_all`` (run by the tests) compiles every
stand-in made so far, so none can wait to fail in production.
"""

from __future__ import annotations

import re
import weakref
from typing import Any, AnyStr, cast, overload

_COMPILED_ATTRIBUTES = (
    "search",
    "match",
    "fullmatch",
    "finditer",
    "findall",
    "sub",
    "subn",
    "split",
    "scanner",
    "flags",
    "groups",
    "groupindex",
)


class _LazyPattern:
    """A ``re.Pattern`` stand-in that compiles itself on first use."""

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        """Only reached for attributes not yet set: compile, then keep the compiled
        pattern's attributes as this object's own (later lookups find them directly)."""
        if name not in _COMPILED_ATTRIBUTES:
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def compiled(self) -> re.Pattern[Any]:
        compiled = re.compile(self.pattern, self._flags)
        for attribute in _COMPILED_ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return compiled

    def __reduce__(self) -> tuple[Any, ...]:
        return (_LazyPattern, (self.pattern, self._flags))

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r}, {self._flags!r})"


_CREATED: weakref.WeakSet[_LazyPattern] = weakref.WeakSet()  # module constants stay


@overload
def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]: ...
@overload
def lazy_compile(pattern: bytes, flags: int = 0) -> re.Pattern[bytes]: ...
def lazy_compile(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    stand_in = _LazyPattern(pattern, flags)
    _CREATED.add(stand_in)
    return cast("re.Pattern[AnyStr]", stand_in)


def compile_all() -> int:
    """Compile every pattern still in use (``re.error`` for the first bad one); how many."""
    for stand_in in list(_CREATED):
        stand_in.compiled()
    return len(_CREATED)
