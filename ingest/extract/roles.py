"""Arm roles: which arm is the comparator and which the regimen under test.

Control: placebo, a subset of another arm, or an arm the design phrase calls standard,
reference or control. Experimental: a superset of another arm; otherwise the arm named
first after "randomized to" (the conventional order), else the arm whose own drugs the
trial's sentences mention most. A lone arm is the single regimen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

__all__ = ["ArmLike", "roles_of"]


class ArmLike(Protocol):
    """What role assignment reads from an arm."""

    drugs: list[str]
    control_hint: bool
    lead: bool


def roles_of(arms: Sequence[ArmLike], mentions: list[frozenset[str]]) -> list[str | None]:
    """Control: the comparator (placebo, a subset of another arm, named control);
    experimental: the rest; a lone arm is the single regimen."""
    if len(arms) <= 1:
        return ["single"] if arms else []
    sets = [set(a.drugs) - {"placebo"} for a in arms]
    roles: list[str | None] = []
    for i, a in enumerate(arms):
        subset = any(i != j and sets[i] < sets[j] for j in range(len(arms)))
        superset = any(i != j and sets[j] < sets[i] for j in range(len(arms)))
        if superset:
            roles.append("experimental")
        elif subset or "placebo" in a.drugs or a.control_hint:
            roles.append("control")
        else:
            roles.append(None)
    if None in roles:

        def focus(i: int) -> int:
            others = set().union(*(sets[j] for j in range(len(arms)) if j != i))
            own = sets[i] - others
            return sum(1 for m in mentions if own & m)

        open_ = [i for i, r in enumerate(roles) if r is None]
        has_exp = "experimental" in roles
        leads = [i for i in open_ if arms[i].lead]
        best = leads[0] if leads else max(open_, key=lambda i: (focus(i), -i))
        for i in open_:
            roles[i] = "control" if (has_exp or i != best) else "experimental"
    if "experimental" not in roles:
        roles[0] = "experimental"
    return roles
