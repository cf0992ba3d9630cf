"""Content negotiation: one table of media types, ``Accept`` with q-values, ``?format=``.

Every route that can answer in more than one format asks :func:`negotiate` with the keys it
offers, in its own order of preference (the first is the default for ``*/*`` or no
``Accept``). The table reuses the store's format tables, so a format the store can write is
a format the API can offer under the same key.

>>> negotiate("text/turtle;q=0.5, application/ld+json", ["turtle", "jsonld"]).key
'jsonld'
>>> negotiate(None, ["json", "xml"], format_param="xml").media_type
'application/sparql-results+xml'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trialgraph.errors import NotAcceptable
from trialgraph.store.base import RDF_FORMATS, RESULT_FORMATS

__all__ = [
    "FORMATS",
    "GRAPH_KEYS",
    "RESULT_KEYS",
    "AcceptItem",
    "MediaFormat",
    "negotiate",
    "parse_accept",
]


@dataclass(frozen=True)
class MediaFormat:
    """One format we can produce: its table key, media type and family.

    ``family`` is 'rdf' (a graph serialisation, key of RDF_FORMATS), 'results' (SPARQL
    SELECT/ASK results, key of RESULT_FORMATS) or 'page' (HTML or plain JSON documents).
    """

    key: str
    media_type: str
    extension: str
    family: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The Content-Type header value; text/* formats say their charset (JSON is UTF-8)."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


_RDF_ALIASES: dict[str, tuple[str, ...]] = {
    "turtle": ("ttl", "application/x-turtle"),
    "ntriples": ("nt", "n-triples", "text/plain"),
    "nquads": ("nq", "n-quads"),
    "trig": ("application/x-trig",),
    "jsonld": ("json-ld",),
    "rdfxml": ("rdf", "xml-rdf", "rdf+xml", "application/xml", "text/xml"),
}
_RESULT_ALIASES: dict[str, tuple[str, ...]] = {
    "json": ("srj", "application/json"),
    "xml": ("srx", "application/xml", "text/xml"),
    "csv": (),
    "tsv": (),
}
_RESULT_EXTENSIONS = {"json": "srj", "xml": "srx", "csv": "csv", "tsv": "tsv"}


def _build_table() -> dict[str, MediaFormat]:
    table: dict[str, MediaFormat] = {}
    for key, (media_type, ext) in RDF_FORMATS.items():
        table[key] = MediaFormat(key, media_type, ext, "rdf", _RDF_ALIASES.get(key, ()))
    for key, media_type in RESULT_FORMATS.items():
        table[key] = MediaFormat(
            key, media_type, _RESULT_EXTENSIONS[key], "results", _RESULT_ALIASES.get(key, ())
        )
    table["html"] = MediaFormat("html", "text/html", "html", "page", ("application/xhtml+xml",))
    table["page-json"] = MediaFormat("page-json", "application/json", "json", "page")
    table["text"] = MediaFormat("text", "text/plain", "txt", "page")
    return table


#: THE table: key -> format. RDF keys = RDF_FORMATS keys, result keys = RESULT_FORMATS keys.
FORMATS: dict[str, MediaFormat] = _build_table()
#: what CONSTRUCT/DESCRIBE answers can be (quad formats only make sense for datasets)
GRAPH_KEYS: tuple[str, ...] = ("turtle", "ntriples", "jsonld", "rdfxml")
#: what SELECT/ASK answers can be
RESULT_KEYS: tuple[str, ...] = ("json", "xml", "csv", "tsv")


@dataclass(frozen=True)
class AcceptItem:
    """One media range of an Accept header."""

    media_range: str
    q: float

    @property
    def specificity(self) -> int:
        """2 for type/subtype, 1 for type/*, 0 for */*: the more specific range wins."""
        main, _, sub = self.media_range.partition("/")
        return 0 if main == "*" else (1 if sub == "*" else 2)

    def matches(self, media_type: str) -> bool:
        main, _, sub = self.media_range.partition("/")
        tmain, _, tsub = media_type.partition("/")
        return main == "*" or (main == tmain and sub in ("*", tsub))


def parse_accept(header: str | None) -> list[AcceptItem]:
    """Parse an Accept header; malformed q-values count as q=0 (RFC 9110 says ignore them).

    Media-type parameters other than q are dropped: none of our formats depends on them.
    An empty or missing header is ``*/*``.

    >>> [(i.media_range, i.q) for i in parse_accept("text/html;q=0.2, */*;q=0.1")]
    [('text/html', 0.2), ('*/*', 0.1)]
    """
    if not header or not header.strip():
        return [AcceptItem("*/*", 1.0)]
    items: list[AcceptItem] = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media_range = pieces[0].lower()
        if "/" not in media_range:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        items.append(AcceptItem(media_range, q))
    return items


def _quality(items: Sequence[AcceptItem], fmt: MediaFormat) -> float:
    """The q of the most specific range matching the format (or an alias media type)."""
    best: AcceptItem | None = None
    for media_type in (fmt.media_type, *(a for a in fmt.aliases if "/" in a)):
        for item in items:
            if item.matches(media_type) and (best is None or item.specificity > best.specificity):
                best = item
    return best.q if best is not None else 0.0


def _lookup(offers: Sequence[str], name: str) -> MediaFormat | None:
    """Find an offered format by key, media type, extension or alias."""
    wanted = name.strip().lower()
    for key in offers:
        fmt = FORMATS[key]
        if wanted in (fmt.key, fmt.media_type, fmt.extension, *fmt.aliases):
            return fmt
    return None


def negotiate(
    accept: str | None, offers: Sequence[str], *, format_param: str | None = None
) -> MediaFormat:
    """Pick the format to answer in.

    ``format_param`` (the ``?format=`` query parameter: a key, extension, alias or media
    type) overrides the header. Otherwise the highest q wins; ties go to the earlier offer,
    so ``offers`` order is the route's preference and its first entry the default.

    :raises NotAcceptable: nothing offered has q > 0, or ``format_param`` is not offered;
        the message lists what is available.
    """
    unknown = [k for k in offers if k not in FORMATS]
    if unknown:
        raise ValueError(f"not in the format table: {unknown}")
    available = ", ".join(FORMATS[k].media_type for k in offers)
    if format_param:
        fmt = _lookup(offers, format_param)
        if fmt is None:
            raise NotAcceptable(
                f"format {format_param!r} is not offered here; use one of: "
                f"{', '.join(offers)} (or {available})"
            )
        return fmt
    items = parse_accept(accept)
    best: MediaFormat | None = None
    best_q = 0.0
    for key in offers:
        q = _quality(items, FORMATS[key])
        if q > best_q:
            best, best_q = FORMATS[key], q
    if best is None:
        raise NotAcceptable(
            f"none of the acceptable media types ({accept}) is offered here; available: {available}"
        )
    return best
