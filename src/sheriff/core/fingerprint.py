"""Stable identities for failures: the same failure hashes the same across reruns.

The signature is the failure's message with run-specific values masked; the fingerprint
hashes ``repo | test identity | signature | tool | platform bucket``.
"""

from __future__ import annotations

import hashlib

from sheriff.core.model import Finding
from sheriff.core.normalise import mask_volatile

SIGNATURE_LIMIT = 300
FINGERPRINT_LENGTH = 20


def signature_of(finding: Finding) -> str:
    """The failure's message in a run-independent form."""
    first_line = finding.message.strip().splitlines()[0] if finding.message.strip() else ""
    return mask_volatile(first_line)[:SIGNATURE_LIMIT]


def platform_bucket(platform: str | None) -> str:
    """Group runner names into the platforms that behave differently."""
    if not platform:
        return "any"
    lowered = platform.lower()
    for bucket, words in (
        ("windows", ("windows", "win")),
        ("macos", ("macos", "mac", "darwin", "osx")),
        ("linux", ("linux", "ubuntu", "debian", "centos", "fedora", "alpine")),
    ):
        if any(word in lowered for word in words):
            return bucket
    return "other"


def fingerprint_of(
    finding: Finding, signature: str, *, repo: str | None = None, platform: str | None = None
) -> str:
    test = finding.test
    identity = f"{test.framework}:{test.suite or ''}:{test.name}" if test else ""
    parts = [repo or "", identity, signature, finding.tool, platform_bucket(platform)]
    digest = hashlib.sha256("|".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:FINGERPRINT_LENGTH]
