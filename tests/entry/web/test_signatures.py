"""Webhook signatures, checked against GitHub's documented example."""

from __future__ import annotations

from sheriff.entry.web.signatures import sign, signature_matches

# https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
DOC_SECRET = b"It's a Secret to Everybody"
DOC_BODY = b"Hello, World!"
DOC_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"


def test_the_signature_is_githubs() -> None:
    assert sign(DOC_SECRET, DOC_BODY) == DOC_SIGNATURE
    assert signature_matches(DOC_SECRET, DOC_BODY, DOC_SIGNATURE)


def test_anything_else_does_not_match() -> None:
    assert not signature_matches(DOC_SECRET, DOC_BODY, None)
    assert not signature_matches(DOC_SECRET, DOC_BODY, "")
    assert not signature_matches(DOC_SECRET, DOC_BODY, DOC_SIGNATURE.removeprefix("sha256="))
    assert not signature_matches(DOC_SECRET, DOC_BODY + b" ", DOC_SIGNATURE)
    assert not signature_matches(b"another", DOC_BODY, DOC_SIGNATURE)
    assert not signature_matches(DOC_SECRET, DOC_BODY, DOC_SIGNATURE.upper())
    assert not signature_matches(DOC_SECRET, DOC_BODY, DOC_SIGNATURE + "00")
    assert not signature_matches(DOC_SECRET, DOC_BODY, "sha256=é")
