"""Issue bodies and managed comments: render, update in place, detect change, fit the limit.

An update replaces only the content of Sheriff's managed blocks (see ``markers``) and
appends the ones a person deleted; nothing else changes, byte for byte, and the block
content follows the line endings around it (GitHub returns CRLF once a body is edited in
the web UI). Change is judged on a normalised form (line endings and trailing spaces
ignored), so a body that differs only in those is never edited again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from sheriff.core.issues.blocks import BLOCK_ORDER, BlockBudget
from sheriff.core.issues.markers import comment_key_marker, parse_marked, splice_blocks

BODY_LIMIT = 65536  # GitHub's limit for issue and comment bodies
_TRAILING_SPACE = re.compile(r"(?<![ \t])[ \t]+$", re.MULTILINE)

BlockRenderer = Callable[[BlockBudget], Mapping[str, str]]


@dataclass(frozen=True, slots=True)
class BodyUpdate:
    """A body to write, whether it differs from the current one, and the managed hash."""

    text: str
    changed: bool
    managed_hash: str
    fits: bool = True  # False: even fully trimmed blocks exceed the limit; text is unchanged
    trimmed: bool = False  # evidence rows or excerpt lines were dropped to fit


def github_length(text: str) -> int:
    """Length as GitHub may count it (UTF-16 code units: never less than characters)."""
    return len(text.encode("utf-16-le")) // 2


def normalised(text: str) -> str:
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING_SPACE.sub("", unified).rstrip("\n")


def managed_hash(text: str) -> str:
    """A hash of the managed blocks' normalised content, in a fixed order: equal hashes mean
    the blocks say the same thing wherever a person moved them."""
    marked = parse_marked(text)
    digest = hashlib.sha256()
    for name in BLOCK_ORDER:
        interior = marked.interior(name)
        if interior is not None:
            digest.update(f"{name}\0{normalised(interior)}\0".encode())
    return digest.hexdigest()


def body_changed(current: str | None, new: str) -> bool:
    return current is None or normalised(current) != normalised(new)


def update_body(current: str, blocks: Mapping[str, str]) -> str:
    """``current`` with Sheriff's blocks replaced (or appended when missing)."""
    return splice_blocks(current, blocks, BLOCK_ORDER)


def render_body(blocks: Mapping[str, str]) -> str:
    return update_body("", blocks)


def fit_body(current: str | None, render: BlockRenderer, budget: BlockBudget) -> BodyUpdate:
    """The updated body (or a new one when ``current`` is None) under GitHub's limit,
    trimming evidence rows first, then excerpt lines."""
    for candidate in trimmed_budgets(budget):
        text = update_body(current or "", render(candidate))
        if github_length(text) <= BODY_LIMIT:
            return BodyUpdate(
                text, body_changed(current, text), managed_hash(text), True, candidate.trimmed
            )
    unchanged = current or ""
    return BodyUpdate(unchanged, False, managed_hash(unchanged), fits=False, trimmed=True)


def fit_comment(
    key: str, current: str | None, render: BlockRenderer, budget: BlockBudget
) -> BodyUpdate:
    """A managed comment: its key marker, then the blocks, rendered afresh (the comment is
    Sheriff's alone); it always fits, since fully trimmed blocks are small."""
    head = comment_key_marker(key) + "\n"
    for candidate in trimmed_budgets(budget):
        text = update_body(head, render(candidate))
        if github_length(text) <= BODY_LIMIT:
            break
    return BodyUpdate(
        text, body_changed(current, text), managed_hash(text), True, candidate.trimmed
    )


def trimmed_budgets(full: BlockBudget) -> Iterator[BlockBudget]:
    """``full``, then ever smaller budgets: evidence rows halved down to one, then excerpt
    lines halved down to none, then no rows at all."""
    yield full
    rows, lines = full.evidence_rows, full.excerpt_lines
    while rows > 1:
        rows //= 2
        yield BlockBudget(rows, lines, trimmed=True)
    while lines > 0:
        lines //= 2
        yield BlockBudget(rows, lines, trimmed=True)
    yield BlockBudget(0, 0, trimmed=True)
