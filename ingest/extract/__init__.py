"""Rule-based extraction of trials, arms, populations and results from Documents.

``extract_document`` is a pure, deterministic function of the document text and the
catalogue: no store, no RDF. Steps, one module each: :mod:`.sentences` (splitting with
offsets), :mod:`.numbers` (values, CIs, p-values), :mod:`.mentions` (drugs, endpoints,
trial names), :mod:`.arms` (arm phrases), :mod:`.results` (values to arms),
:mod:`.population` (facets) and :mod:`.assemble` (trials).
"""

from __future__ import annotations

import contextlib
import weakref
from typing import TYPE_CHECKING

from trialgraph.ingest.extract.assemble import assemble
from trialgraph.ingest.extract.lexicon import CatalogueLike, Lexicon, compile_lexicon

if TYPE_CHECKING:
    from trialgraph.ingest.sources.document import Document

    from trialgraph.model import Evidence

__all__ = ["extract_document", "lexicon_for"]

_LEXICONS: weakref.WeakKeyDictionary[object, Lexicon] = weakref.WeakKeyDictionary()
_DEFAULT: list[Lexicon] = []


def lexicon_for(catalogue: CatalogueLike | None = None) -> Lexicon:
    """The compiled lexicon of ``catalogue`` (default: the packaged catalogue), cached."""
    if catalogue is None:
        if not _DEFAULT:
            from trialgraph.ontology.catalogue import load_catalogue

            _DEFAULT.append(compile_lexicon(load_catalogue()))
        return _DEFAULT[0]
    try:
        return _LEXICONS[catalogue]
    except (KeyError, TypeError):
        lex = compile_lexicon(catalogue)
        with contextlib.suppress(TypeError):  # not weak-referenceable: compile each time
            _LEXICONS[catalogue] = lex
        return lex


def extract_document(doc: Document, *, catalogue: CatalogueLike | None = None) -> Evidence:
    """Everything the article says about trials, with provenance offsets into ``doc.text``."""
    return assemble(doc.name, doc.text, lexicon_for(catalogue))
