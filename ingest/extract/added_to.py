"""Arms from "A added to B, C, and D": A + B + C + D (experimental) and B + C + D (control).

The passive twin of "the addition of A to B". The drugs added are the mention(s) right
before "added to" (joined only by "plus", "and" or "+"); the background regimen is the
list after it, which runs through commas only while each item is another drug, so a
following clause ("..., improved median PFS") is never read as part of the regimen.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trialgraph.ingest.extract.arms import ArmSpec
    from trialgraph.ingest.extract.mentions import DrugMention

__all__ = ["added_to_arms"]

_ADDED_TO = re.compile(r"\s+(?:(?:was|were|is|being)\s+)?added\s+to\s+", re.IGNORECASE)
_JOIN = re.compile(r"\s*(?:\+|\bplus\b|\band\b)\s*", re.IGNORECASE)
_LIST = re.compile(r"\s*(?:,\s*(?:and|or)?|\band\b|\bplus\b|\+)\s*", re.IGNORECASE)
#: an arm-versus-arm design in the same sentence: left to the design rules
_DESIGN = re.compile(r"\b(?:versus|vs\.?|or|compared)\b", re.IGNORECASE)


def added_to_arms(text: str, drugs: list[DrugMention]) -> list[ArmSpec]:
    """The two arms one "A added to B" phrase describes, or nothing."""
    from trialgraph.ingest.extract.arms import ArmSpec, drug_names

    m = _ADDED_TO.search(text)
    if m is None or _DESIGN.search(text):
        return []
    before = [d for d in drugs if d.end <= m.start()]
    if not before or before[-1].end != m.start():
        return []
    added = [before[-1]]
    for d in reversed(before[:-1]):
        if not _JOIN.fullmatch(text[d.end : added[0].start]):
            break
        added.insert(0, d)
    base: list[DrugMention] = []
    pos = m.end()
    for d in (d for d in drugs if d.start >= m.end()):
        gap = text[pos : d.start]
        if gap and not _LIST.fullmatch(gap):
            break
        base.append(d)
        pos = d.end
    added_names, base_names = drug_names(added), drug_names(base)
    if not base_names or "placebo" in added_names:
        return []
    regimen = added_names + [n for n in base_names if n not in added_names]
    exp = ArmSpec(regimen, added[0].start, pos)
    return [exp, ArmSpec(base_names, m.end(), pos, control_hint=True)]
