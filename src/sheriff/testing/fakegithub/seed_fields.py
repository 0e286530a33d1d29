"""Typed reads of one JSON object in a seed file, collecting problems instead of stopping.

Every read returns a usable placeholder when the value is wrong, so one pass over a seed
reports all of its problems at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sheriff.testing.fakegithub.seed_model import SeedProblem


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 timestamp; a missing zone means UTC. Raises ValueError when malformed."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class Fields:
    """One JSON object at ``file:line``; problems go to the shared ``problems`` list."""

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        file: str,
        line: int | None,
        problems: list[SeedProblem],
        prefix: str = "",
    ) -> None:
        self.data = data
        self.file = file
        self.line = line
        self.problems = problems
        self.prefix = prefix

    def report(self, name: str, problem: str) -> None:
        self.problems.append(SeedProblem(self.file, self.line, self.prefix + name, problem))

    def _get(self, name: str, kind: type | tuple[type, ...], wanted: str, required: bool) -> Any:
        if name not in self.data or self.data[name] is None:
            if required:
                self.report(name, f"missing: add {wanted}")
            return None
        value = self.data[name]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.report(name, f"is {type(value).__name__} {value!r}: expected {wanted}")
            return None
        return value

    def text(self, name: str, *, default: str | None = None) -> str:
        value = self._get(name, str, "a string", required=default is None)
        return value if isinstance(value, str) else (default or "")

    def optional_text(self, name: str) -> str | None:
        value = self._get(name, str, "a string or null", required=False)
        return value if isinstance(value, str) else None

    def integer(self, name: str, *, minimum: int = 1) -> int:
        value = self._get(name, int, f"an integer >= {minimum}", required=True)
        if isinstance(value, int) and value < minimum:
            self.report(name, f"is {value}: expected an integer >= {minimum}")
        return value if isinstance(value, int) else minimum

    def number(self, name: str, *, default: float) -> float:
        value = self._get(name, (int, float), "a number", required=False)
        return float(value) if isinstance(value, int | float) else default

    def flag(self, name: str) -> bool:
        return bool(self._get(name, bool, "true or false", required=False))

    def choice(self, name: str, options: Collection[str], *, nullable: bool = False) -> str | None:
        wanted = "one of " + ", ".join(sorted(options)) + (" or null" if nullable else "")
        value = self._get(name, str, wanted, required=not nullable)
        if isinstance(value, str) and value not in options:
            self.report(name, f"is {value!r}: expected {wanted}")
            return None
        return value if isinstance(value, str) else None

    def timestamp(self, name: str, *, required: bool = True) -> datetime | None:
        value = self._get(name, str, "an ISO 8601 time like 2024-05-01T12:00:00Z", required)
        if not isinstance(value, str):
            return None
        try:
            return parse_timestamp(value)
        except ValueError:
            self.report(name, f"is {value!r}: expected an ISO 8601 time like 2024-05-01T12:00:00Z")
            return None

    def int_list(self, name: str) -> tuple[int, ...]:
        value = self._get(name, list, "a list of positive integers", required=False) or []
        if not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
            self.report(name, f"is {value!r}: expected a list of positive integers")
            return ()
        return tuple(value)

    def text_list(self, name: str) -> tuple[str, ...]:
        value = self._get(name, list, "a list of strings", required=False) or []
        if not all(isinstance(item, str) for item in value):
            self.report(name, f"is {value!r}: expected a list of strings")
            return ()
        return tuple(value)

    def objects(self, name: str, *, required: bool = False) -> list[Fields]:
        value = self._get(name, list, "a list of objects", required=required) or []
        found: list[Fields] = []
        for index, item in enumerate(value):
            label = f"{self.prefix}{name}[{index}]."
            if isinstance(item, dict):
                found.append(
                    Fields(
                        item, file=self.file, line=self.line, problems=self.problems, prefix=label
                    )
                )
            else:
                self.report(f"{name}[{index}]", f"is {item!r}: expected an object")
        return found

    def path_in(self, name: str, root: Path, *, required: bool = True) -> Path | None:
        """A file or folder named relative to the seed directory, which must exist inside it."""
        relative = self._get(name, str, "a path relative to the seed directory", required)
        if not isinstance(relative, str):
            return None
        path = (root / relative).resolve()
        if not path.is_relative_to(root.resolve()):
            self.report(name, f"{relative!r} leaves the seed directory: use a path inside it")
            return None
        if not path.exists():
            self.report(name, f"{relative!r} does not exist: copy the file there or fix the path")
            return None
        return path

    def unknown_keys(self, known: Collection[str]) -> None:
        for key in self.data:
            if key not in known:
                self.report(key, f"is not a known field: expected one of {', '.join(known)}")
