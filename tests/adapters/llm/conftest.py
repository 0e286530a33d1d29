from __future__ import annotations

import pydantic_ai.models
import pytest


@pytest.fixture(autouse=True)
def no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any real model request fails the test; FunctionModel and TestModel still answer."""
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", False)
