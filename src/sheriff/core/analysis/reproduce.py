"""A command that runs just the failing test, derived from its framework and identity, and
a loop that runs it until it fails (for flaky tests).

Every argument is shell-quoted; names are regex-escaped where the tool takes a regex
(``go test -run``, ``jest -t``, ``ctest -R``).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from sheriff.core.model import TestIdentity
from sheriff.core.quarantine.javascript import title_path
from sheriff.core.quarantine.jvm import class_name, method_name


@dataclass(frozen=True, slots=True)
class ReproductionCommand:
    command: str
    repeat: str  # runs the command until it fails, up to N times
    note: str = ""


def _regex(text: str) -> str:
    """Escape regex metacharacters the way Go's regexp.QuoteMeta and JavaScript expect."""
    return re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\1", text)


def _go(test: TestIdentity, test_file: str | None) -> str:
    if test_file and "/" in test_file:
        package = "./" + test_file.rsplit("/", 1)[0]
    elif test_file:
        package = "."
    else:
        package = test.suite or "./..."
    pattern = "/".join(f"^{_regex(part)}$" for part in test.name.split("/"))
    return f"go test {shlex.quote(package)} -run {shlex.quote(pattern)} -count=1"


def _pytest(test: TestIdentity, test_file: str | None) -> str:
    if test.suite:
        return f"python -m pytest {shlex.quote(test.qualified)}"
    target = f"{test_file}::{test.name}" if test_file else None
    if target:
        return f"python -m pytest {shlex.quote(target)}"
    return f"python -m pytest -k {shlex.quote(test.name.split('[', 1)[0])}"


def _unittest(test: TestIdentity, _file: str | None) -> str:
    method = test.name.split(" ", 1)[0]
    dotted = f"{test.suite}.{method}" if test.suite else method
    return f"python -m unittest {shlex.quote(dotted)}"


def _cargo(test: TestIdentity, _file: str | None) -> str:
    return f"cargo test {shlex.quote(test.name)} -- --exact"


def _nextest(test: TestIdentity, _file: str | None) -> str:
    return f"cargo nextest run {shlex.quote(test.name)}"


def _jest(test: TestIdentity, test_file: str | None) -> str:
    path = test.suite or test_file
    title = _regex(" ".join(title_path(test)))
    where = f"{shlex.quote(path)} " if path else ""
    return f"npx jest {where}-t {shlex.quote(title)}"


def _vitest(test: TestIdentity, test_file: str | None) -> str:
    parts = test.name.split(" > ")
    path = parts[0] if len(parts) > 1 else test_file
    title = _regex(" ".join(title_path(test)))
    where = f"{shlex.quote(path)} " if path else ""
    return f"npx vitest run {where}-t {shlex.quote(title)}"


def _junit(test: TestIdentity, test_file: str | None) -> str:
    owner = class_name(test) or "*"
    selector = f"{owner}#{method_name(test)}"
    if test_file and test_file.endswith(".kt"):  # Kotlin projects mostly build with Gradle
        return f"./gradlew test --tests {shlex.quote(f'{test.suite}.{method_name(test)}')}"
    return f"mvn -Dtest={shlex.quote(selector)} test"


def _rspec(test: TestIdentity, test_file: str | None) -> str:
    path = test.suite or test_file
    where = f"{shlex.quote(path)} " if path else ""
    return f"bundle exec rspec {where}-e {shlex.quote(test.name)}"


def _minitest(test: TestIdentity, test_file: str | None) -> str:
    if test_file:
        return f"ruby -Itest {shlex.quote(test_file)} --name={shlex.quote(test.name)}"
    return f"bin/rails test -n {shlex.quote(test.name)}"


def _phpunit(test: TestIdentity, _file: str | None) -> str:
    return f"vendor/bin/phpunit --filter {shlex.quote(_regex(test.name))}"


def _dotnet(test: TestIdentity, _file: str | None) -> str:
    name = test.name.split("(", 1)[0]
    return f"dotnet test --filter {shlex.quote(f'FullyQualifiedName~{name}')}"


def _ctest(test: TestIdentity, _file: str | None) -> str:
    return f"ctest --output-on-failure -R {shlex.quote(f'^{_regex(test.name)}$')}"


def _googletest(test: TestIdentity, _file: str | None) -> str:
    return f"./<test-binary> --gtest_filter={shlex.quote(test.qualified.replace('::', '.'))}"


COMMANDS: dict[str, Callable[[TestIdentity, str | None], str]] = {
    "go": _go,
    "pytest": _pytest,
    "unittest": _unittest,
    "cargo test": _cargo,
    "cargo-nextest": _nextest,
    "jest": _jest,
    "vitest": _vitest,
    "junit": _junit,
    "rspec": _rspec,
    "minitest": _minitest,
    "phpunit": _phpunit,
    "xunit": _dotnet,
    "nunit": _dotnet,
    "mstest": _dotnet,
    "ctest": _ctest,
    "googletest": _googletest,
}


def reproduction_command(
    test: TestIdentity | None, *, test_file: str | None = None, repeat: int = 20
) -> ReproductionCommand | None:
    """The command for ``test``, or None when Sheriff does not know its framework."""
    if test is None or test.framework not in COMMANDS:
        return None
    command = COMMANDS[test.framework](test, test_file)
    loop = f"for i in $(seq {repeat}); do {command} || break; done"
    note = "the test's package, as CI named it" if test.framework == "go" and not test_file else ""
    return ReproductionCommand(command, loop, note)
