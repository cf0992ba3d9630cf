"""Arms first met in a result sentence, refined when the design is stated later.

Conference news and quotes often give a figure before the design: "With A plus B and a
platinum, median PFS was 27.9 months", then "assigned to A, either alone or together with
B plus cisplatin or carboplatin". The first phrase made a provisional arm {A, B, platinum
agent}; the design names the same regimen exactly. Keeping both would split one arm's
results across two drug sets, so the design's drugs replace the provisional ones when
they say the same thing more precisely (every provisional drug is in the design arm or is
a class covering one of its drugs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from trialgraph.ingest.extract.lexicon import Lexicon

__all__ = ["refines"]


def refines(lex: Lexicon, provisional: Sequence[str], design: Sequence[str]) -> bool:
    """Whether the design arm ``design`` is a more precise naming of ``provisional``."""
    have = set(provisional) - {"placebo"}
    want = set(design) - {"placebo"}
    if not have or have == want or len(have) > len(want):
        return False
    for name in have - want:
        info = lex.drug(name)
        if info is None or not any(
            (d := lex.drug(w)) is not None and info.covers(d) for w in want - have
        ):
            return False
    # the design arm may add drugs only where a class stood for them
    return len(want - have) >= 1 and len(have - want) >= 1
