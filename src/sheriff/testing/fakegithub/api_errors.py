"""Errors the fake answers with, in GitHub's JSON error shape."""

from __future__ import annotations

from typing import Any

DOCS = "https://docs.github.com/rest"
RATE_LIMIT_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
SECONDARY_RATE_LIMIT_DOCS = RATE_LIMIT_DOCS + "#about-secondary-rate-limits"


class ApiError(Exception):
    """An HTTP error response: ``{"message", "documentation_url", "status"[, "errors"]}``;
    ``errors`` holds objects (a field's problem) or, for some answers, plain strings."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[Any] | None = None,
        headers: dict[str, str] | None = None,
        documentation_url: str = "",
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}
        self.documentation_url = documentation_url

    def body(self, fallback_docs: str) -> dict[str, Any]:
        payload: dict[str, Any] = {"message": self.message}
        if self.errors is not None:
            payload["errors"] = self.errors
        payload["documentation_url"] = self.documentation_url or fallback_docs
        payload["status"] = str(self.status)
        return payload


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def validation_failed(resource: str, field: str, code: str, message: str = "") -> ApiError:
    """422 with one entry in ``errors``, as GitHub reports a bad field."""
    error: dict[str, Any] = {"resource": resource, "field": field, "code": code}
    if message:
        error["message"] = message
    return ApiError(422, "Validation Failed", errors=[error])


def bad_json(detail: str) -> ApiError:
    return ApiError(400, f"Problems parsing JSON: {detail}")
