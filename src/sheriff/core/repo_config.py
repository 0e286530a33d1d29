"""Per-repository configuration: ``.github/sheriff.yml``, parsed from text, merged over
Sheriff's own settings.

The adapter reads the file from the default branch only (a pull request cannot change how
Sheriff treats it); this module only parses text. A broken file never stops a scan: every
valid key is kept, every invalid one is dropped and reported as a ``ConfigProblem`` that
says which key, what is wrong and what to do; unknown keys are warnings.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, fields, replace
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sheriff.core.model import FailureType

CONFIG_PATH = ".github/sheriff.yml"
MAX_CONFIG_CHARS = 64 * 1024

IssueKinds: TypeAlias = Literal["default", "all"] | frozenset[FailureType]
"""Which failure types may open an issue: ``default`` (tests: flaky or recurring), ``all``,
or an explicit set of types."""

Severity: TypeAlias = Literal["error", "warning"]

KIND_ALIASES: dict[str, FailureType] = {
    "test": FailureType.TEST,
    "e2e": FailureType.E2E,
    "build": FailureType.BUILD,
    "lint": FailureType.LINT,
    "type_check": FailureType.TYPE_CHECK,
    "type-check": FailureType.TYPE_CHECK,
    "dependency": FailureType.DEPENDENCY,
    "config": FailureType.CONFIG,
    "infrastructure": FailureType.INFRASTRUCTURE,
    "infra": FailureType.INFRASTRUCTURE,
    **{kind.value: kind for kind in FailureType},
}
MAX_LABEL_PREFIX = 25  # GitHub label names are at most 50 characters


@dataclass(frozen=True, slots=True)
class RepoSettings:
    """The settings that apply to one repository: Sheriff's, with the repository's file over
    them. ``RepoSettings()`` holds Sheriff's built-in defaults."""

    enabled: bool = True
    issue_kinds: IssueKinds = "default"
    label_prefix: str = "sheriff/"
    ignore_labels: tuple[str, ...] | None = None  # None: ("<prefix>ignore",)
    branches: tuple[str, ...] = ()  # globs; empty: the repository's default branch
    workflows: tuple[str, ...] = ()  # names or file globs; empty: every workflow
    artifact_globs: tuple[str, ...] = ()  # JUnit/xUnit artifact names; empty: none
    evidence_rows: int = 10
    excerpt_budget: int = 40  # log lines shown in an issue
    recurrence_threshold: int = 2  # distinct runs before a non-flaky failure is filed
    flaky_threshold: float = 0.7  # P(flaky) at which a failure counts as flaky

    @property
    def silencing_labels(self) -> tuple[str, ...]:
        """Labels that stop Sheriff from updating or reopening an issue."""
        if self.ignore_labels is not None:
            return self.ignore_labels
        return (f"{self.label_prefix}ignore",)


class RepoConfig(BaseModel):
    """The contents of ``.github/sheriff.yml``; ``None`` means "use Sheriff's setting"."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    enabled: bool | None = None
    issue_kinds: IssueKinds | None = None
    label_prefix: str | None = None
    ignore_labels: tuple[str, ...] | None = None
    branches: tuple[str, ...] | None = None
    workflows: tuple[str, ...] | None = None
    artifact_globs: tuple[str, ...] | None = None
    evidence_rows: int | None = Field(default=None, ge=0, le=100)
    excerpt_budget: int | None = Field(default=None, ge=0, le=500)
    recurrence_threshold: int | None = Field(default=None, ge=1, le=1000)
    flaky_threshold: float | None = Field(default=None, gt=0, le=1)

    @field_validator("issue_kinds", mode="before")
    @classmethod
    def _read_kinds(cls, value: object) -> object:
        if value in ("default", "all") or value is None:
            return value
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list):
            raise ValueError("expected `default`, `all` or a list of failure types")  # noqa: TRY004
        unknown = [name for name in names if str(name).lower() not in KIND_ALIASES]
        if unknown:
            raise ValueError(f"unknown failure type {unknown[0]!r}; use one of {_kind_names()}")
        return frozenset(KIND_ALIASES[str(name).lower()] for name in names)

    @field_validator("label_prefix")
    @classmethod
    def _check_prefix(cls, value: str | None) -> str | None:
        if value is not None and (
            not value.strip() or "," in value or len(value) > MAX_LABEL_PREFIX
        ):
            raise ValueError(f"a label prefix is 1 to {MAX_LABEL_PREFIX} characters, no commas")
        return value

    @field_validator("ignore_labels", "branches", "workflows", "artifact_globs", mode="before")
    @classmethod
    def _read_names(cls, value: object) -> object:
        names = [value] if isinstance(value, str) else value
        if isinstance(names, list) and any(not str(name).strip() for name in names):
            raise ValueError("names must not be empty")
        return names


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong with a repository's config file, and what to do about it."""

    file: str
    key: str | None
    message: str
    hint: str
    severity: Severity = "error"
    line: int | None = None

    def describe(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" `{self.key}`" if self.key else ""
        return f"{self.severity}: {where}{key}: {self.message} ({self.hint})"


@dataclass(frozen=True, slots=True)
class ParsedRepoConfig:
    """The valid part of a config file and every problem found in it."""

    config: RepoConfig
    problems: tuple[ConfigProblem, ...] = ()

    @property
    def errors(self) -> tuple[ConfigProblem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "error")


def parse_repo_config(text: str | None, *, file: str = CONFIG_PATH) -> ParsedRepoConfig:
    """Parse a config file's text (``None``: the repository has none). Never raises."""
    if text is None or not text.strip():
        return ParsedRepoConfig(RepoConfig())
    loaded = _load_mapping(text, file)
    if isinstance(loaded, ConfigProblem):
        return ParsedRepoConfig(RepoConfig(), (loaded,))
    lines = _key_lines(text)
    known = set(RepoConfig.model_fields)
    problems = [_unknown_key(key, file, lines.get(key)) for key in loaded if key not in known]
    values = {key: value for key, value in loaded.items() if key in known}
    try:
        return ParsedRepoConfig(RepoConfig.model_validate(values), tuple(problems))
    except ValidationError as error:
        rejected = _rejected(error, file, lines)
    kept = {key: value for key, value in values.items() if key not in {p.key for p in rejected}}
    return ParsedRepoConfig(RepoConfig.model_validate(kept), (*problems, *rejected))


def merge_repo_config(base: RepoSettings, repo: RepoConfig) -> RepoSettings:
    """The repository's settings: every key its file sets, over ``base``."""
    given = {
        item.name: getattr(repo, item.name)
        for item in fields(base)
        if getattr(repo, item.name, None) is not None
    }
    return replace(base, **given)


def _load_mapping(text: str, file: str) -> dict[str, Any] | ConfigProblem:
    import yaml  # here, not at the top: ``sheriff triage`` imports this module, never YAML

    hint = f"fix {file} on the default branch; until then Sheriff uses its own settings"
    if len(text) > MAX_CONFIG_CHARS:
        return ConfigProblem(file, None, f"file is over {MAX_CONFIG_CHARS} characters", hint)
    try:
        if any(isinstance(token, yaml.AliasToken) for token in yaml.scan(text, yaml.SafeLoader)):
            return ConfigProblem(file, None, "YAML aliases (*name) are not supported", hint)
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(error, "problem", None) or "invalid YAML"
        return ConfigProblem(file, None, f"not valid YAML: {reason}", hint, line=line)
    if loaded is None:
        return {}
    if not isinstance(loaded, dict) or not all(isinstance(key, str) for key in loaded):
        return ConfigProblem(file, None, "expected a mapping of setting names to values", hint)
    return loaded


def _key_lines(text: str) -> dict[str, int]:
    """The 1-based line of each top-level key (the text is already known to parse)."""
    import yaml

    node = yaml.compose(text, yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + 1
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def _unknown_key(key: str, file: str, line: int | None) -> ConfigProblem:
    close = difflib.get_close_matches(key, list(RepoConfig.model_fields), n=1)
    hint = f"did you mean `{close[0]}`?" if close else f"remove it; known keys: {_key_names()}"
    return ConfigProblem(file, key, "unknown setting, ignored", hint, "warning", line)


def _rejected(error: ValidationError, file: str, lines: dict[str, int]) -> list[ConfigProblem]:
    problems: dict[str, ConfigProblem] = {}
    for item in error.errors():
        key = str(item["loc"][0])
        message = str(item["msg"]).removeprefix("Value error, ")
        hint = f"fix or remove `{key}` in {file}; until then Sheriff uses its own setting"
        problems.setdefault(key, ConfigProblem(file, key, message, hint, line=lines.get(key)))
    return list(problems.values())


def _kind_names() -> str:
    return ", ".join(kind.value for kind in FailureType)


def _key_names() -> str:
    return ", ".join(RepoConfig.model_fields)


# --- what a repository's settings select ---------------------------------------------------


def glob_matches(pattern: str, text: str) -> bool:
    """Whether ``text`` matches a path glob: ``*`` and ``?`` stay within one ``/`` segment,
    ``**`` crosses segments; matching is case-sensitive, like branch and file names."""
    return _glob_regex(pattern).fullmatch(text) is not None


def _glob_regex(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*|\*|\?)", pattern)
    wildcards = {"**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wildcards.get(part, re.escape(part)) for part in parts))


def branch_is_watched(settings: RepoSettings, branch: str | None, default_branch: str) -> bool:
    """Whether failures on ``branch`` may open issues (pull requests never do)."""
    if branch is None:
        return False
    if not settings.branches:
        return branch == default_branch
    return any(glob_matches(pattern, branch) for pattern in settings.branches)


def workflow_is_watched(settings: RepoSettings, name: str, path: str | None = None) -> bool:
    """Whether a workflow (by name, or file path such as ``.github/workflows/ci.yml``) is
    scanned; a pattern may name the workflow, its path or its file name."""
    if not settings.workflows:
        return True
    candidates = [name] + ([path, path.rsplit("/", 1)[-1]] if path else [])
    return any(
        glob_matches(pattern, candidate)
        for pattern in settings.workflows
        for candidate in candidates
    )


def artifact_is_wanted(settings: RepoSettings, artifact_name: str) -> bool:
    """Whether an uploaded artifact holds test results Sheriff should read."""
    return any(glob_matches(pattern, artifact_name) for pattern in settings.artifact_globs)
