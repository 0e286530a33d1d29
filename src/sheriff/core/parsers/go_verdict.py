"""Which Go tool printed a block of ``path.go:12:3: message`` lines.

``go build``, ``go vet``, golangci-lint, staticcheck and module resolution all print the
same shape. The verdict reads the message (a ``(linter)`` suffix, a module path
``x@v1.2.3``, wording only vet or golint use), the ``# pkg`` header and ``[build failed]``
line around it, and the command that ran just before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType
from sheriff.core.parsers.go_output import NETWORK_ERROR
from sheriff.core.scan import Hit

MODULE_LINE = (
    r"(?:^|\s)[^\s/@]+/[^\s@]+@v\d\S*: "
    r"(?:Get |reading |verifying |invalid |unknown revision|.*\b(?:40[34]|410)\b)"
    r"|missing go\.sum entry|no required module provides package"
    r"|cannot find module providing|^go: updates to go\.(?:mod|sum) needed"
    r"|^go: inconsistent vendoring|^verifying \S+: checksum mismatch|^SECURITY ERROR"
    r"|^go: errors parsing go\.mod|^go: cannot find main module|go\.mod file not found"
    r"|is not in (?:GOROOT|std)|requires go >= |^go: module \S+: git "
    r"|cannot find package \"|unrecognized import path"
)
PKG_HEADER = lazy_compile(r"^# \S+")
_BUILD_FAILED = lazy_compile(r"^FAIL\s+\S+\s+\[(?:build|setup) failed\]")
_LINTER_SUFFIX = lazy_compile(
    r"\((?P<linter>[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[A-Z]{1,3}\d{3,4})\)\s*$"
)
# golangci-lint linter names, as printed in "(name)" at the end of a message.
# fmt: off
_LINTERS = frozenset((
    "aligncheck", "deadcode", "gas", "gotype", "gotypex", "interfacer", "maligned",
    "megacheck", "safesql", "scopelint", "structcheck", "varcheck", "vet", "vetshadow",
    "asasalint", "asciicheck", "bidichk", "bodyclose", "canonicalheader", "containedctx",
    "contextcheck", "copyloopvar", "cyclop", "decorder", "depguard", "dogsled", "dupl",
    "dupword", "durationcheck", "err113", "errcheck", "errchkjson", "errname", "errorlint",
    "exhaustive", "exhaustruct", "exptostd", "fatcontext", "forbidigo", "forcetypeassert",
    "funlen", "gci", "ginkgolinter", "gocheckcompilerdirectives", "gochecknoglobals",
    "gochecknoinits", "gochecksumtype", "gocognit", "goconst", "gocritic", "gocyclo", "godot",
    "godox", "goerr113", "gofmt", "gofumpt", "goheader", "goimports", "golint", "gomnd",
    "gomoddirectives", "gomodguard", "goprintffuncname", "gosec", "gosimple", "gosmopolitan",
    "govet", "grouper", "iface", "importas", "inamedparam", "ineffassign", "interfacebloat",
    "intrange", "ireturn", "lll", "loggercheck", "maintidx", "makezero", "mirror", "misspell",
    "mnd", "musttag", "nakedret", "nestif", "nilerr", "nilnesserr", "nilnil", "nlreturn",
    "noctx", "nolintlint", "nonamedreturns", "nosprintfhostport", "paralleltest", "perfsprint",
    "prealloc", "predeclared", "promlinter", "protogetter", "reassign", "recvcheck", "revive",
    "rowserrcheck", "sloglint", "spancheck", "sqlclosecheck", "staticcheck", "stylecheck",
    "tagalign", "tagliatelle", "tenv", "testableexamples", "testifylint", "testpackage",
    "thelper", "tparallel", "typecheck", "unconvert", "unparam", "unused", "usestdlibvars",
    "usetesting", "varnamelen", "wastedassign", "whitespace", "wrapcheck", "wsl", "zerologlint",
))
# fmt: on
_COMMAND = lazy_compile(
    r"(?:^|[\s/$>+])(?P<tool>golangci-lint|golint|revive|staticcheck|go vet|errcheck"
    r"|ineffassign|gosec|go build|go test|go install|go run|go generate)\b"
)
_LINT_TOOLS = {
    "golangci-lint",
    "golint",
    "revive",
    "staticcheck",
    "errcheck",
    "ineffassign",
    "gosec",
    "go vet",
}
_VET_MESSAGE = lazy_compile(
    r"passes lock by value|copies lock|format %\S* (?:reads arg|has arg)|possible misuse of"
    r"|unreachable code|self-assignment of|result of \S+ call not used|struct field tag"
    r"|composite literal uses unkeyed fields|call has arguments but no formatting directives"
    r"|possible formatting directive|the cancel function|Println call has|redundant newline"
    r"|misuse of unbuffered os\.Signal|using \S+ before checking for errors"
    r"|comparison of function|call has possible Printf formatting directive"
)
_LINT_MESSAGE = lazy_compile(
    r"should have (?:a package )?comment|comment on exported|should be of the form"
    r"|error strings should not|should not use dot imports|should replace .* with"
    r"|receiver name should|don't use (?:underscores|ALL_CAPS)|should omit (?:type|2nd value)"
    r"|drop this else|is not `?(?:gofmt|goimports)`?-ed"
)
_COMPILE_MESSAGE = lazy_compile(
    r"undefined: |declared and not used|declared but not used|imported and not used"
    r"|cannot use |syntax error|redeclared|not enough arguments|too many arguments"
    r"|has no field or method|missing return|invalid operation|cannot assign|undeclared name"
    r"|cannot convert|mismatched types|non-boolean|expected \S+, found|too many errors"
)


@dataclass(frozen=True, slots=True)
class Verdict:
    failure_type: FailureType
    sub_type: str
    tool: str


def build_failed_after(view: LogView, last: int) -> int:
    for number, text in view.span(last + 1, last + 3):
        if _BUILD_FAILED.match(text):
            return number
    return last


def verdict(view: LogView, block: list[Hit], first: int, last: int) -> Verdict | None:
    messages = [hit.match.group("msg") if hit.match else hit.text for hit in block]
    if any(re.search(MODULE_LINE, message) for message in messages):
        return module_verdict([hit.text for hit in block])
    suffix = _LINTER_SUFFIX.search(messages[0])
    if suffix and (suffix.group("linter") in _LINTERS or suffix.group("linter")[0].isupper()):
        linter = suffix.group("linter")
        tool = "staticcheck" if linter[0].isupper() else "golangci-lint"
        return Verdict(FailureType.LINT, tool.replace("-", "_"), tool)
    command = last_command(view, first)
    if command in _LINT_TOOLS or any(_VET_MESSAGE.search(m) for m in messages):
        tool = command if command in _LINT_TOOLS else "go vet"
        return Verdict(FailureType.LINT, tool.replace(" ", "_").replace("-", "_"), tool)
    if any(_LINT_MESSAGE.search(message) for message in messages):
        return Verdict(FailureType.LINT, "golint", "golint")
    compiled = (
        any(hit.match is not None and hit.match.group("col") for hit in block)
        or PKG_HEADER.match(view.text(first - 1) or "") is not None
        or build_failed_after(view, last) != last
        or any(_COMPILE_MESSAGE.search(message) for message in messages)
    )
    return Verdict(FailureType.BUILD, "compile", "go build") if compiled else None


def last_command(view: LogView, first: int) -> str | None:
    """The Go tool a shell line just above the errors ran, if the kept lines show one."""
    for number in range(first - 1, max(first - 40, 0), -1):
        text = view.text(number)
        if text is None:
            return None
        if not (text.startswith(("$", "+", ">", "Run ", "[command]")) or "make" in text):
            continue  # not a shell line (tested first: the pattern is slow to search)
        command = _COMMAND.search(text)
        if command:
            return command.group("tool")
    return None


def module_verdict(texts: list[str]) -> Verdict:
    if any(NETWORK_ERROR.search(text) for text in texts):
        return Verdict(FailureType.INFRASTRUCTURE, "network", "go mod")
    if any("checksum mismatch" in text or "SECURITY ERROR" in text for text in texts):
        return Verdict(FailureType.DEPENDENCY, "checksum", "go mod")
    if any("requires go >= " in text for text in texts):
        return Verdict(FailureType.CONFIG, "go_version", "go mod")
    return Verdict(FailureType.DEPENDENCY, "go_mod", "go mod")
