"""A backbone shared by alternatives: "A or B in addition to C", "A or B added to C".

Design phrases often name the alternatives first and the backbone once, after the last
alternative: "received A or placebo in addition to C", "A or B added to C versus C
alone", "A or B, each on top of C". The backbone phrase is an add-on marker ("in addition
to", "on top of", "added to"), which unlike a bare "with" or "plus" never joins two drugs
of one regimen, so the drugs after it belong to every alternative named before it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from trialgraph.ingest.extract.gates import has_any

if TYPE_CHECKING:
    from trialgraph.ingest.extract.arms import ArmSpec
    from trialgraph.ingest.extract.mentions import DrugMention

__all__ = ["ADDON_TAIL", "ADDON_WORDS", "share_backbone"]

#: the words one of which every match of :data:`ADDON_TAIL` contains (see :mod:`.gates`)
ADDON_WORDS = ("addition to", "on top of", "added to")
ADDON_TAIL = re.compile(
    r"\b(?:in addition to|(?:each |both )?on top of|(?:(?:was|were|is) )?added to)\s+",
    re.IGNORECASE,
)


def share_backbone(
    text: str,
    specs: list[ArmSpec],
    drugs: list[DrugMention],
    depth: tuple[int, ...],
) -> None:
    """Give the backbone after an add-on marker in one alternative to those before it.

    Only alternatives that do not already carry a backbone of their own receive it, so
    "A added to C or B added to D" stays as written.
    """
    from trialgraph.ingest.extract.arms import _segment_drugs, drug_names

    if len(specs) < 2 or not has_any(text, ADDON_WORDS):
        return
    tails: list[list[str] | None] = []
    for spec in specs:
        m = next(
            (m for m in ADDON_TAIL.finditer(text, spec.start, spec.end) if depth[m.start()] == 0),
            None,
        )
        tails.append(
            drug_names(_segment_drugs(text, m.end(), spec.end, drugs)) if m is not None else None
        )
    for i, tail in enumerate(tails):
        if not tail:
            continue
        j = i - 1
        while j >= 0 and tails[j] is None:
            specs[j].drugs.extend(d for d in tail if d not in specs[j].drugs)
            j -= 1
