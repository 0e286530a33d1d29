"""Which labels to add to, and remove from, an issue.

Sheriff only ever adds its own labels and never removes a label a person added. It may
remove one of its own labels only when it added that label itself (recorded in the issue's
managed state) and its meaning changed (``sheriff/flaky`` -> ``sheriff/failing``). A
label Sheriff added and a person then removed is not added again. GitHub compares label
names without regard to case, and so does this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sheriff.core.issues.naming import is_sheriff_label


@dataclass(frozen=True, slots=True)
class LabelPlan:
    """Labels to add and remove, and the labels Sheriff will have applied afterwards."""

    add: tuple[str, ...]
    remove: tuple[str, ...]
    applied: frozenset[str]

    @property
    def changes(self) -> bool:
        return bool(self.add or self.remove)


def plan_labels(
    wanted: Iterable[str],
    current: Iterable[str],
    applied_before: Iterable[str],
    *,
    prefix: str,
) -> LabelPlan:
    """Compare what Sheriff wants with the issue's labels and Sheriff's own record."""
    wanted_by_key = {label.casefold(): label for label in wanted}
    current_by_key = {label.casefold(): label for label in current}
    applied_list = tuple(applied_before)
    applied_keys = {label.casefold() for label in applied_list}

    add = sorted(
        label
        for key, label in wanted_by_key.items()
        if key not in current_by_key and key not in applied_keys
    )
    remove = sorted(
        current_by_key[key]
        for key in applied_keys
        if key in current_by_key
        and key not in wanted_by_key
        and is_sheriff_label(prefix, current_by_key[key])
    )
    applied = _applied_after(applied_list, current_by_key, set(wanted_by_key), add, remove)
    return LabelPlan(tuple(add), tuple(remove), applied)


def _applied_after(
    applied_before: tuple[str, ...],
    current_by_key: dict[str, str],
    wanted_keys: set[str],
    add: list[str],
    remove: list[str],
) -> frozenset[str]:
    """Sheriff's record after the plan: what it added and still has, plus labels a person
    removed that Sheriff still wants (so it does not add them back)."""
    kept = {
        label
        for label in applied_before
        if label.casefold() in current_by_key and current_by_key[label.casefold()] not in remove
    }
    removed_by_person = {
        label
        for label in applied_before
        if label.casefold() not in current_by_key and label.casefold() in wanted_keys
    }
    return frozenset(kept | set(add) | removed_by_person)
