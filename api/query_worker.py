"""The child side of the killable query worker: evaluate SPARQL on a read-only Oxigraph.

pyoxigraph cannot cancel a running query, so a query that must stop at its time limit runs
in a separate process that the server kills (see :mod:`trialgraph.api.query_runner`). The
process opens the on-disk store read-only (``pyoxigraph.Store.read_only``, ~15 ms) and
serialises results itself, with pyoxigraph's own serialisers; it imports nothing but
pyoxigraph so that a restart after a kill is quick.

Messages on the pipe (tuples, pickled by multiprocessing):

- ``("query", QueryJob)`` -> ``("ok", body, media_type, kind)`` or ``("error", kind, msg)``
  where ``kind`` is 'syntax' (malformed SPARQL), 'query' (evaluation refused it, e.g. an
  unsupported function) or 'store' (reading the store failed)
- ``("close",)`` -> ``("ok",)``: drop the read-only handle before the parent writes; the
  next query reopens it and so sees the write.
"""

from __future__ import annotations

from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox
from trialgraph.api.sparql_text import has_dataset_clause

__all__ = ["QueryJob", "run_job", "serve"]

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class QueryJob:
    """Everything one query needs, picklable."""

    query: str
    result_format: str = "json"
    graph_format: str = "turtle"
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    union_default_graph: bool = True
    base_iri: str | None = None


def run_job(store: ox.Store, job: QueryJob) -> tuple[bytes, str, str]:
    """Evaluate and serialise; returns (body, result-format key or graph key, kind).

    :raises SyntaxError: malformed SPARQL (pyoxigraph's message).
    """
    kwargs: dict[str, object] = {"base_iri": job.base_iri}
    if job.default_graph_uris or job.named_graph_uris:
        kwargs["default_graph"] = [ox.NamedNode(u) for u in job.default_graph_uris]
        kwargs["named_graphs"] = [ox.NamedNode(u) for u in job.named_graph_uris]
    elif job.union_default_graph and not has_dataset_clause(job.query):
        kwargs["use_default_graph_as_union"] = True
    result = store.query(job.query, **kwargs)  # type: ignore[arg-type]
    if isinstance(result, ox.QueryTriples):
        body = result.serialize(format=_GRAPH_FORMATS[job.graph_format])
        return body or b"", job.graph_format, "graph"
    kind = "ask" if isinstance(result, ox.QueryBoolean) else "select"
    body = result.serialize(format=_RESULT_FORMATS[job.result_format])
    return body or b"", job.result_format, kind


def serve(conn: Connection, path: str) -> None:
    """The worker loop: one job at a time until the pipe closes or the parent kills us."""
    store: ox.Store | None = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "close":
            store = None
            conn.send(("ok",))
            continue
        job: QueryJob = message[1]
        try:
            if store is None:
                store = ox.Store.read_only(path)
            body, fmt, kind = run_job(store, job)
        except SyntaxError as exc:
            conn.send(("error", "syntax", str(exc)))
        except (RuntimeError, ValueError, TypeError) as exc:  # evaluation refused the query
            conn.send(("error", "query", str(exc)))
        except OSError as exc:
            conn.send(("error", "store", f"{type(exc).__name__}: {exc}"))
        else:
            conn.send(("ok", body, fmt, kind))
