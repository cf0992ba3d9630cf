"""The few facts the endpoint needs from SPARQL text without a full parse.

Strings, IRIs and comments can contain any word, so they are masked first; what remains
is keywords, names, variables and punctuation, where ``FROM``, ``WHERE``, ``USING`` and
``WITH`` can be found safely. Light on purpose: it runs in the query worker, which
imports nothing heavy. The engine still parses everything and reports real syntax errors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["add_using_clauses", "has_dataset_clause", "mask", "with_base"]

_HIDDEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*",
    re.DOTALL,
)


def _keyword(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w:?$]){word}(?![\w:-])", re.IGNORECASE)


_FROM = _keyword("FROM")
_WHERE = _keyword("WHERE")
_USING_OR_WITH = re.compile(r"(?<![\w:?$])(?:USING|WITH)(?![\w:-])", re.IGNORECASE)


def mask(text: str) -> str:
    """The text with strings, IRIs and comments blanked out, same length, same offsets."""
    return _HIDDEN.sub(lambda m: " " * len(m.group(0)), text)


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset (FROM / FROM NAMED).

    >>> has_dataset_clause('SELECT * FROM <http://g> { ?s ?p "FROM" }')
    True
    >>> has_dataset_clause('SELECT * { ?s <http://x/from> ?o } # FROM here')
    False
    """
    return _FROM.search(mask(query)) is not None


def with_base(text: str, base_iri: str) -> str:
    """Give relative IRIs a base (the protocol lets the service choose: its endpoint URL).

    Prepended on the same line, so a parser's line numbers stay right; a BASE in the text
    itself comes later and wins.
    """
    return f"BASE <{base_iri}> {text}"


def add_using_clauses(update: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """Apply the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` to an update.

    Each is a ``USING`` / ``USING NAMED`` clause put before the ``WHERE`` of every
    DELETE/INSERT operation (the only operations with a WHERE at brace depth 0).

    :raises ValueError: the update already has USING or WITH (the protocol forbids both).
    """
    masked = mask(update)
    depth = 0
    wheres: list[int] = []
    for match in re.finditer(r"[{}]|[^\s{}();,]+", masked):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and _USING_OR_WITH.fullmatch(token):
            raise ValueError(
                "using-graph-uri / using-named-graph-uri cannot be combined with USING or "
                "WITH in the update"
            )
        elif depth == 0 and _WHERE.fullmatch(token):
            wheres.append(match.start())
    clauses = " ".join(
        [f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]
    )
    for start in reversed(wheres):
        update = f"{update[:start]}{clauses} {update[start:]}"
    return update
