"""Conditional requests with validators kept in the store, so they survive restarts and
are shared by workers (githubkit's ETag cache lives in one process's memory).

A GET sends ``If-None-Match`` / ``If-Modified-Since`` from the stored validator of its URL;
GitHub answers 304 (free of rate-limit cost) when nothing changed. Single resources keep
their body beside the validator, so a 304 still yields the data; listings do not: their
304 means "nothing new" to the caller.
"""

from __future__ import annotations

import threading
from typing import Protocol

import httpx

from sheriff.app.forge import ListingCheckpoint
from sheriff.app.ports import HttpValidator


class ValidatorStore(Protocol):
    """Where validators are kept: ``sheriff.adapters.store.Store`` or ``MemoryValidators``."""

    def validator(self, url: str) -> HttpValidator | None: ...

    def put_validator(self, url: str, validator: HttpValidator) -> None: ...


class MemoryValidators:
    """Validators in this process's memory: for tests and runs without a database."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._validators: dict[str, HttpValidator] = {}

    def validator(self, url: str) -> HttpValidator | None:
        with self._lock:
            return self._validators.get(url)

    def put_validator(self, url: str, validator: HttpValidator) -> None:
        with self._lock:
            self._validators[url] = validator

    def __len__(self) -> int:
        with self._lock:
            return len(self._validators)


def conditional_headers(validator: HttpValidator | None) -> dict[str, str]:
    if validator is None:
        return {}
    headers: dict[str, str] = {}
    if validator.etag:
        headers["If-None-Match"] = validator.etag
    if validator.last_modified:
        headers["If-Modified-Since"] = validator.last_modified
    return headers


def validator_of(response: httpx.Response, *, keep_body: bool) -> HttpValidator | None:
    etag = response.headers.get("etag")
    last_modified = response.headers.get("last-modified")
    if etag is None and last_modified is None:
        return None
    return HttpValidator(etag, last_modified, response.content if keep_body else None)


def checkpoint_of(key: str, response: httpx.Response) -> ListingCheckpoint | None:
    validator = validator_of(response, keep_body=False)
    if validator is None:
        return None
    return ListingCheckpoint(key, validator.etag, validator.last_modified)
