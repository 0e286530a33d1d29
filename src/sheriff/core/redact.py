"""Remove secrets from text before it leaves the machine (issues, comments, LLM calls).

Logs are untrusted and sometimes print credentials: tokens, keys, passwords in URLs.
Each redaction keeps the kind of secret visible (``[REDACTED:github-token]``) so a
reader still understands the line.
"""

from __future__ import annotations

import re

_SECRETS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "private-key",
        re.compile(
            r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\s\S]*?"
            r"(?:-----END (?:[A-Z]+ )*PRIVATE KEY-----|$)"
        ),
    ),
    ("github-token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})")),
    ("aws-access-key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("google-api-key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    ("openai-key", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_\-]{20,}")),
    ("npm-token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")),
    ("bearer", re.compile(r"(?i)(?<=\bBearer )[A-Za-z0-9._~+/\-]{16,}=*")),
)
_URL_PASSWORD = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.\-]{0,31}://)(?P<user>[^:@/\s]+):(?P<pw>[^@/\s]+)@"
)
_ASSIGNED = re.compile(
    r"(?i)(?P<key>(?<![\w.\-])"
    r"(?=[\w.\-]*?(?:password|passwd|secret|token|api[_-]?key|access[_-]?key"
    r"|private[_-]?key|client[_-]?secret))[\w.\-]*+\s*[:=]\s*)(?P<quote>['\"]?)"
    r"(?P<value>[^\s'\"]{6,})(?P=quote)"
)
_ALREADY = re.compile(r"\[REDACTED(?::[\w-]+)?\]|\*{3,}|<[\w-]+>|\$\{?\w+\}?")


def redact(text: str) -> str:
    """The text with every recognised secret replaced by ``[REDACTED:kind]``."""
    for kind, pattern in _SECRETS:
        text = pattern.sub(f"[REDACTED:{kind}]", text)
    text = _URL_PASSWORD.sub(r"\g<scheme>\g<user>:[REDACTED:password]@", text)
    return _ASSIGNED.sub(_redact_assignment, text)


def _redact_assignment(match: re.Match[str]) -> str:
    value = match.group("value")
    if _ALREADY.fullmatch(value):
        return match.group(0)
    quote = match.group("quote")
    return f"{match.group('key')}{quote}[REDACTED:secret]{quote}"
