"""CLI commands of the ontology package: ``validate`` (SHACL) and ``reason`` (HermiT).

Registered by :func:`trialgraph.cli.build_app`. Heavy imports (pyshacl, owlready2, the
store backends) happen inside the command bodies so that ``trialgraph --help`` stays fast
and works without Java.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from xml.sax import SAXException

import typer

from trialgraph.errors import InputError, UnsupportedFormat

if TYPE_CHECKING:
    from rdflib import Graph

    from trialgraph.config import Settings
    from trialgraph.store.base import Store

__all__ = ["read_rdf_file", "reason_command", "register", "validate_command"]

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="store string, e.g. oxigraph:./data (env TRIALGRAPH_STORE)"),
]
#: file size above which `validate FILE` refuses (the store is the place for big data)
MAX_FILE_BYTES = 200 * 1024 * 1024


@contextmanager
def _open_store(location: str | None) -> Iterator[tuple[Store, Settings]]:
    from trialgraph.config import Settings
    from trialgraph.store import get_store

    settings = Settings.from_env(store=location)
    store = get_store(settings.store)
    try:
        yield store, settings
    finally:
        store.close()


def read_rdf_file(path: Path) -> Graph:
    """Parse an RDF file (format from its extension) into one graph (quads: their union)."""
    from rdflib import Dataset, Graph
    from rdflib.exceptions import ParserError
    from rdflib.util import guess_format

    if not path.is_file():
        raise InputError(f"no such file: {path}")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path} is empty")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path} is {size} bytes; load it into a store and use --store")
    fmt = guess_format(str(path)) or ("turtle" if path.suffix == ".ttl" else None)
    if fmt is None:
        raise UnsupportedFormat(f"cannot tell the RDF format of {path.name!r} from its extension")
    try:
        if fmt in {"trig", "nquads"}:
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            graph = Graph()
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
            return graph
        return Graph().parse(path, format=fmt)
    except (SyntaxError, ValueError, ParserError, SAXException) as exc:
        raise InputError(f"{path.name}: not valid {fmt}: {str(exc).strip()[:300]}") from None


def _article_graphs(store: Store, base_iri: str) -> list[str]:
    prefix = f"{base_iri}graph/article/"
    return sorted(g for g in store.graphs() if g.startswith(prefix))


def _graph_of(store: Store, name: str) -> Graph:
    return store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")


def validate_command(
    file: Annotated[Path | None, typer.Argument(help="an RDF file to validate")] = None,
    store: StoreOption = None,
) -> None:
    """Validate a file, or every article graph of a store, against the SHACL shapes."""
    from trialgraph.ontology.validate import validate_graph

    if file is not None:
        report = validate_graph(read_rdf_file(file))
        typer.echo(f"{file}: {report.text}")
        raise typer.Exit(0 if report.conforms else 1)
    failed = 0
    with _open_store(store) as (st, settings):
        names = _article_graphs(st, settings.base_iri)
        for name in names:
            report = validate_graph(_graph_of(st, name))
            if not report.conforms:
                failed += 1
                typer.echo(f"{name}: {report.text}")
    typer.echo(f"{len(names)} article graph(s) validated, {failed} with violations")
    raise typer.Exit(1 if failed else 0)


def _bounded_data(st: Store, base_iri: str, max_trials: int) -> tuple[Graph, int, int, int]:
    """Article graphs, in name order, until adding one would exceed ``max_trials`` trials.

    HermiT's time grows faster than linearly with the ABox (benchmarks/bench_reasoning.py),
    so ``reason`` works on a bounded sample of whole article graphs, never half of one.
    """
    from rdflib import RDF, Graph

    from trialgraph.vocab import TG

    data = Graph()
    trials: set[object] = set()
    names = _article_graphs(st, base_iri)
    used = 0
    for name in names:
        graph = _graph_of(st, name)
        new = set(graph.subjects(RDF.type, TG.Trial)) - trials
        if used and len(trials) + len(new) > max_trials:
            break
        data += graph
        trials |= new
        used += 1
    return data, used, len(names), len(trials)


def reason_command(
    store: StoreOption = None,
    max_trials: Annotated[
        int, typer.Option("--max-trials", min=1, help="bound the ABox to this many trials")
    ] = 300,
    write: Annotated[
        bool, typer.Option("--write/--no-write", help="store inferred types in graph/inferred")
    ] = True,
) -> None:
    """Run HermiT over ontology + catalogue + the store's articles; store inferred types."""
    from trialgraph.ontology.reasoning import reason, require_java

    from trialgraph.ids import Minter

    require_java()
    with _open_store(store) as (st, settings):
        data, used, total, trials = _bounded_data(st, settings.base_iri, max_trials)
        if used < total:
            typer.echo(
                f"bounded ABox: {used} of {total} article graphs ({trials} trials, "
                f"--max-trials {max_trials}); the rest is not reasoned over"
            )
        report = reason(data, base_iri=settings.base_iri)
        typer.echo(report.text())
        if not report.consistent:
            raise typer.Exit(1)
        target = str(Minter(settings.base_iri).graph("inferred"))
        if write and st.writable:
            inferred = report.inferred_graph()
            st.replace_graph(target, inferred)
            typer.echo(f"wrote {len(inferred)} triples to <{target}>")
        elif write:
            typer.echo(f"store is read-only: inferred types not written to <{target}>")


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""
    app.command("validate")(validate_command)
    app.command("reason")(reason_command)
