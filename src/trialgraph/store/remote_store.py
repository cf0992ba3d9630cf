"""The remote backend: any SPARQL 1.1 endpoint, e.g. ``oxigraph serve``.

Store string::

    sparql+http://HOST:PORT/PATH[?update=UPDATE_URL][&gsp=GSP_URL]

``sparql+`` is dropped to get the query URL (``sparql+https://`` works the same); the
``update`` and ``gsp`` query parameters, or the ``update_url``/``gsp_url`` arguments of
:func:`trialgraph.store.get_store`, name the SPARQL 1.1 Update endpoint and the Graph Store
HTTP Protocol endpoint. For ``oxigraph serve --union-default-graph --bind 127.0.0.1:7878``::

    sparql+http://127.0.0.1:7878/query?update=http://127.0.0.1:7878/update&gsp=http://127.0.0.1:7878/store

Without either URL the store is read-only: ``writable`` is False and every write raises
:class:`ReadOnlyStore` before anything is sent. Queries go through SPARQLWrapper (raw
bytes in the requested format via the Accept header; rows parsed from SPARQL JSON);
writes are plain HTTP (httpx): ``replace_graph`` is one GSP ``PUT`` (atomic on the
server) or, without GSP, one update request ``DROP SILENT GRAPH ; INSERT DATA``.
Queries see the union of graphs only if the server is configured so (Oxigraph:
``--union-default-graph``). Bindings become a ``VALUES`` block at the start of the
WHERE group (:func:`trialgraph.store._common.bind_values`).
"""

from __future__ import annotations

import ast
import threading
import urllib.error
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from trialgraph.errors import (
    BackendUnavailable,
    ConfigError,
    InputError,
    QuerySyntaxError,
    QueryTimeout,
    ReadOnlyStore,
    StoreError,
)
from trialgraph.store._common import (
    bind_values,
    check_iri,
    check_rdf_format,
    check_result_format,
    chunked,
    is_quad_format,
    one_line,
    query_form,
)
from trialgraph.store._deadline import run_with_deadline
from trialgraph.store._terms import (
    OX_RDF_FORMATS,
    ntriples_to_graph,
    to_oxigraph,
    to_oxigraph_triples,
    to_rdflib,
)
from trialgraph.store.base import RDF_FORMATS, RESULT_FORMATS, QueryOutput

__all__ = ["RemoteStore"]

_OX_RDF = OX_RDF_FORMATS
_GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
_QUADS_QUERY = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


class RemoteStore:
    """A SPARQL 1.1 endpoint implementing :class:`trialgraph.store.base.Store`."""

    persistent = True

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        timeout: float = 30.0,
        location: str | None = None,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.gsp_url = gsp_url
        self.timeout = timeout
        self.location = location or f"sparql+{query_url}"
        self.writable = bool(update_url or gsp_url)
        self._http = httpx.Client(timeout=timeout)

    @classmethod
    def from_location(
        cls,
        location: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        timeout: float = 30.0,
    ) -> RemoteStore:
        """Split ``sparql+URL?update=...&gsp=...`` into its endpoints (arguments win)."""
        parts = urlsplit(location.removeprefix("sparql+"))
        if not parts.netloc:
            raise ConfigError(
                f"no host in store {location!r}; expected sparql+http://HOST:PORT/PATH"
            )
        params = parse_qsl(parts.query, keep_blank_values=True)
        ours = {k: v for k, v in params if k in ("update", "gsp")}
        rest = [(k, v) for k, v in params if k not in ("update", "gsp")]
        query_url = urlunsplit(parts._replace(query=urlencode(rest)))
        return cls(
            query_url,
            update_url=update_url or ours.get("update") or None,
            gsp_url=gsp_url or ours.get("gsp") or None,
            timeout=timeout,
            location=location,
        )

    # ---------------------------------------------------------------- HTTP
    def _request(
        self,
        query: str,
        accept: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> tuple[str, bytes]:
        """POST a query; return (query form, raw response body)."""
        text = bind_values(query, bindings) if bindings else query
        form = query_form(text)
        wrapper = SPARQLWrapper(self.query_url)
        with warnings.catch_warnings():  # it warns on forms it cannot detect
            warnings.simplefilter("ignore", RuntimeWarning)
            wrapper.setQuery(text)
        # SPARQLWrapper guesses the form from keywords, even inside comments, and would
        # send a query whose header mentions DELETE as an update: decide it ourselves.
        wrapper.queryType = form or "SELECT"
        wrapper.setMethod(POST)
        wrapper.setTimeout(max(1, round(timeout or self.timeout)))
        wrapper.addCustomHttpHeader("Accept", accept)
        for iri in default_graph_uris:
            wrapper.addDefaultGraph(check_iri(iri))
        for iri in named_graph_uris:
            wrapper.addNamedGraph(check_iri(iri))
        try:
            response = wrapper.query().response
            return str(form), response.read()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(f"malformed SPARQL: {one_line(_server_message(exc))}") from exc
        except SPARQLWrapperException as exc:
            raise StoreError(f"{self.query_url}: {_server_message(exc)}") from exc
        except TimeoutError as exc:
            raise QueryTimeout(f"{self.query_url} did not answer within the time limit") from exc
        except urllib.error.HTTPError as exc:
            raise StoreError(f"{self.query_url}: HTTP {exc.code}: {exc.read()[:500]!r}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise BackendUnavailable(f"cannot reach {self.query_url}: {exc}") from exc

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise BackendUnavailable(f"cannot reach {url}: timed out") from exc
        except httpx.TransportError as exc:
            raise BackendUnavailable(f"cannot reach {url}: {exc}") from exc
        if response.status_code == 400:
            raise QuerySyntaxError(f"rejected by {url}: {one_line(response.text)}")
        if response.status_code >= 400 and not (method == "DELETE" and response.status_code == 404):
            raise StoreError(f"{url}: HTTP {response.status_code}: {response.text[:500]}")
        return response

    def _require_writable(self) -> None:
        if not self.writable:
            raise ReadOnlyStore(
                f"{self.location} is read-only: give an update URL (?update=...) to write"
            )

    # ---------------------------------------------------------------- queries
    def select(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
    ) -> list[dict[str, Node]]:
        def work(cancel: threading.Event) -> list[dict[str, Node]]:
            _, body = self._request(
                query, RESULT_FORMATS["json"], bindings=bindings, timeout=timeout
            )
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if not isinstance(parsed, ox.QuerySolutions):
                raise InputError("expected a SELECT query")
            return _rows(parsed)

        return run_with_deadline(work, timeout)

    def ask(self, query: str, *, timeout: float | None = None) -> bool:
        def work(cancel: threading.Event) -> bool:
            _, body = self._request(query, RESULT_FORMATS["json"], timeout=timeout)
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if not isinstance(parsed, ox.QueryBoolean):
                raise InputError("expected an ASK query")
            return bool(parsed)

        return run_with_deadline(work, timeout)

    def construct(self, query: str, *, timeout: float | None = None) -> Graph:
        def work(cancel: threading.Event) -> Graph:
            form, body = self._request(query, RDF_FORMATS["ntriples"][0], timeout=timeout)
            if form not in _GRAPH_FORMS:
                raise InputError("expected a CONSTRUCT or DESCRIBE query")
            return Graph().parse(data=body, format="nt")

        return run_with_deadline(work, timeout)

    def query_bytes(
        self,
        query: str,
        *,
        result_format: str = "json",
        graph_format: str = "turtle",
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
    ) -> QueryOutput:
        """Ask for both kinds of format at once; the server picks by query form."""
        check_result_format(result_format)
        check_rdf_format(graph_format)
        graph_type = RDF_FORMATS[graph_format][0]
        result_type = RESULT_FORMATS[result_format]

        def work(cancel: threading.Event) -> QueryOutput:
            form, body = self._request(
                query,
                f"{result_type}, {graph_type};q=0.9",
                bindings=bindings,
                default_graph_uris=default_graph_uris,
                named_graph_uris=named_graph_uris,
                timeout=timeout,
            )
            if form in _GRAPH_FORMS:
                return QueryOutput(body, graph_type, "graph")
            return QueryOutput(body, result_type, "ask" if form == "ASK" else "select")

        return run_with_deadline(work, timeout)

    # ---------------------------------------------------------------- writes
    def update(self, update: str) -> None:
        self._require_writable()
        if not self.update_url:
            raise ReadOnlyStore(f"{self.location} has no SPARQL Update URL (?update=...)")
        self._send("POST", self.update_url, data={"update": update})

    def replace_graph(self, graph: str, data: Graph) -> None:
        """One GSP PUT, or one update request: atomic on the server either way."""
        self._require_writable()
        name = check_iri(graph)
        body = ox.serialize(to_oxigraph_triples(data), format=ox.RdfFormat.N_TRIPLES) or b""
        if self.gsp_url:
            self._send(
                "PUT",
                self.gsp_url,
                params={"graph": name},
                content=body,
                headers={"Content-Type": RDF_FORMATS["ntriples"][0]},
            )
        else:
            self.update(
                f"DROP SILENT GRAPH <{name}> ;\n"
                f"INSERT DATA {{ GRAPH <{name}> {{\n{body.decode('utf-8')}}} }}"
            )

    def replace_graphs(self, graphs: Mapping[str, Graph]) -> None:
        """One update request for all graphs (atomic on the server); with only a GSP
        endpoint, one PUT per graph (each graph whole, the batch not atomic)."""
        self._require_writable()
        if not self.update_url:
            for graph, data in graphs.items():
                self.replace_graph(graph, data)
            return
        texts = {}
        for graph, data in graphs.items():
            body = ox.serialize(to_oxigraph_triples(data), format=ox.RdfFormat.N_TRIPLES) or b""
            texts[graph] = body.decode("utf-8")
        self.replace_graphs_ntriples(texts)

    def replace_graphs_ntriples(self, graphs: Mapping[str, str]) -> None:
        """One update request (atomic on the server) with the N-Triples as ``INSERT DATA``;
        the text is parsed locally first, so bad text is an input error and sends nothing.
        With only a GSP endpoint: :meth:`replace_graphs` (one PUT per graph)."""
        self._require_writable()
        checked = {graph: ntriples_to_graph(text) for graph, text in graphs.items()}
        if not self.update_url:
            self.replace_graphs(checked)
            return
        parts = []
        for graph, text in graphs.items():
            name = check_iri(graph)
            parts.append(
                f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{text}}} }}"
            )
        if parts:
            self.update(" ;\n".join(parts))

    def drop_graph(self, graph: str) -> None:
        self._require_writable()
        name = check_iri(graph)
        if self.update_url:
            self.update(f"DROP SILENT GRAPH <{name}>")
        else:
            assert self.gsp_url is not None
            self._send("DELETE", self.gsp_url, params={"graph": name})

    def load(
        self,
        data: bytes,
        *,
        fmt: str,
        graph: str | None = None,
        base_iri: str | None = None,
    ) -> int:
        """Parsed and checked here first (bad input sends nothing), then sent as N-Quads
        in one request, so the server adds all of it or none."""
        self._require_writable()
        if not is_quad_format(fmt) and graph is None:
            raise InputError(f"{fmt} holds no graph names: give the graph to load into")
        target = ox.NamedNode(check_iri(graph)) if graph is not None else None
        try:
            quads = list(
                ox.parse(data, format=_OX_RDF[fmt], base_iri=base_iri, rename_blank_nodes=True)
            )
        except (SyntaxError, ValueError) as exc:
            raise InputError(f"cannot parse {fmt} input: {one_line(exc)}") from exc
        if target is not None:
            quads = [
                q
                if not isinstance(q.graph_name, ox.DefaultGraph)
                else ox.Quad(q.subject, q.predicate, q.object, target)
                for q in quads
            ]
        nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        if self.gsp_url:
            self._send(
                "POST",
                self.gsp_url,
                content=nquads,
                headers={"Content-Type": RDF_FORMATS["nquads"][0]},
            )
        else:
            self.update(_insert_data(quads))
        return len(quads)

    # ---------------------------------------------------------------- reads
    def dump(self, *, fmt: str, graph: str | None = None) -> Iterator[bytes]:
        """Read through queries (no GSP needed); serialised by pyoxigraph."""
        quad = is_quad_format(fmt)
        if graph is not None:
            name = check_iri(graph)
            rows = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
            graph_of: Any = ox.NamedNode(name) if quad else ox.DefaultGraph()
            quads = [_quad(r, graph_of) for r in rows]
        elif quad:
            quads = [_quad(r, to_oxigraph(r["g"])) for r in self.select(_QUADS_QUERY)]
        else:
            rows = self.select("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
            quads = [_quad(r, ox.DefaultGraph()) for r in rows]
        items: list[Any] = quads if quad else [q.triple for q in quads]
        body = ox.serialize(items, format=_OX_RDF[fmt]) or b""
        return chunked(body)

    def graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r["g"]) for r in rows if isinstance(r.get("g"), URIRef))

    def count(self, graph: str | None = None) -> int:
        pattern = f"GRAPH <{check_iri(graph)}>" if graph is not None else "GRAPH ?g"
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} {{ ?s ?p ?o }} }}")
        return int(str(rows[0]["n"])) if rows else 0

    def close(self) -> None:
        self._http.close()


def _server_message(exc: SPARQLWrapperException) -> str:
    """The endpoint's own error text, without SPARQLWrapper's boilerplate."""
    text = str(exc)
    if "Response:" not in text:
        return text
    text = text.split("Response:", 1)[1].strip()
    try:
        raw = ast.literal_eval(text)  # SPARQLWrapper embeds the body as a bytes repr
    except (ValueError, SyntaxError):
        return text
    return raw.decode("utf-8", "replace").strip() if isinstance(raw, bytes) else text


def _rows(parsed: ox.QuerySolutions) -> list[dict[str, Node]]:
    names = [v.value for v in parsed.variables]
    return [
        {n: to_rdflib(t) for n, t in zip(names, solution, strict=True) if t is not None}
        for solution in parsed
    ]


def _quad(row: Mapping[str, Node], graph: Any) -> ox.Quad:
    s, p, o = (to_oxigraph(row[k]) for k in "spo")
    return ox.Quad(s, p, o, graph)  # type: ignore[arg-type]


def _insert_data(quads: list[ox.Quad]) -> str:
    """One ``INSERT DATA`` with a ``GRAPH`` block per graph (N-Triples term syntax)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        key = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    blocks = [
        "\n".join(lines) if not key else f"GRAPH {key} {{\n" + "\n".join(lines) + "\n}"
        for key, lines in by_graph.items()
    ]
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"
