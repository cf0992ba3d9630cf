"""CLI commands over a store: ``load``, ``query``, ``export``, ``stats``.

Registered by :func:`trialgraph.cli.build_app`. Every command takes ``--store`` (default
``TRIALGRAPH_STORE``, then ``oxigraph:./trialgraph-data``). Errors are TrialgraphErrors,
turned into one line on stderr by :func:`trialgraph.cli.main`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from trialgraph.errors import InputError, UnsupportedFormat

if TYPE_CHECKING:
    from rdflib.term import Node

    from trialgraph.store.base import Store

__all__ = ["export", "load", "query", "register", "stats"]

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="store string, e.g. oxigraph:./data (env TRIALGRAPH_STORE)"),
]
#: file extensions beyond each format's own (RDF_FORMATS) that name a format
EXTRA_EXTENSIONS = {"owl": "rdfxml", "xml": "rdfxml", "json": "jsonld", "n3": "turtle"}
TABLE_FORMATS = ("table", "json", "csv", "tsv")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


@contextmanager
def _open_store(location: str | None) -> Iterator[Store]:
    from trialgraph.config import Settings
    from trialgraph.store import get_store

    settings = Settings.from_env(store=location)
    store = get_store(settings.store)
    try:
        yield store
    finally:
        store.close()


def _format_of(path: Path, given: str | None) -> str:
    from trialgraph.store import RDF_FORMATS

    if given is not None:
        if given not in RDF_FORMATS:
            raise UnsupportedFormat(
                f"unknown format {given!r}; valid: {', '.join(sorted(RDF_FORMATS))}"
            )
        return given
    ext = path.suffix.lower().lstrip(".")
    by_ext = {e: name for name, (_, e) in RDF_FORMATS.items()} | EXTRA_EXTENSIONS
    if ext not in by_ext:
        raise UnsupportedFormat(
            f"cannot tell the RDF format of {path.name!r} from its extension; "
            f"give --format ({', '.join(sorted(RDF_FORMATS))})"
        )
    return by_ext[ext]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not a file: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def load(
    file: Annotated[Path, typer.Argument(help="RDF file to load")],
    graph: Annotated[
        str | None, typer.Option(help="named graph for triple formats (default: from file name)")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="RDF format (default: from the extension)")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Load an RDF file into the store (all of it or, on any error, nothing)."""
    from trialgraph.config import Settings
    from trialgraph.ids import Minter, slug
    from trialgraph.store.base import QUAD_FORMATS

    rdf_format = _format_of(file, fmt)
    data = _read(file)
    settings = Settings.from_env(store=store)
    if graph is None and rdf_format not in QUAD_FORMATS:
        graph = str(Minter(settings.base_iri).graph(f"file/{slug(file.stem)}"))
    with _open_store(settings.store) as target:
        added = target.load(data, fmt=rdf_format, graph=graph)
    where = f" into <{graph}>" if graph else ""
    typer.echo(f"loaded {added} statements from {file.name}{where}")


def _resolve_query(text: str, params: list[str], base_iri: str) -> tuple[str, dict[str, Node]]:
    """SPARQL text, ``@file.rq`` or a named query; returns (query, typed bindings)."""
    from trialgraph.queries.loader import load_named_queries

    raw: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InputError(f"--param must be name=value, got {item!r}")
        raw[name.lstrip("?")] = value
    if text.startswith("@"):
        sparql = _read(Path(text[1:])).decode("utf-8", errors="strict")
    elif _NAME.match(text):
        queries = load_named_queries()
        if text not in queries:
            raise InputError(
                f"{text!r} is neither SPARQL nor a named query; named queries: "
                f"{', '.join(sorted(queries))}"
            )
        named = queries[text]
        return named.text, named.bind(raw, base_iri=base_iri)
    else:
        sparql = text
    if raw:
        raise InputError("--param only applies to named queries")
    return sparql, {}


def query(
    text: Annotated[str, typer.Argument(help="SPARQL text, @file.rq or a named query name")],
    param: Annotated[
        list[str] | None, typer.Option("--param", help="name=value for a named query")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="table, json, csv or tsv (CONSTRUCT prints Turtle)")
    ] = "table",
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query and print its results."""
    from trialgraph.config import Settings

    if fmt not in TABLE_FORMATS:
        raise UnsupportedFormat(f"unknown output format {fmt!r}; valid: {', '.join(TABLE_FORMATS)}")
    settings = Settings.from_env(store=store)
    try:
        sparql, bindings = _resolve_query(text, param or [], settings.base_iri)
    except UnicodeDecodeError as exc:
        raise InputError(f"query file is not UTF-8 text: {exc.reason}") from None
    with _open_store(settings.store) as target:
        output = target.query_bytes(
            sparql,
            result_format="json" if fmt == "table" else fmt,
            graph_format="turtle",
            bindings=bindings or None,
            timeout=settings.query_timeout,
        )
    if output.kind == "graph" or fmt != "table":
        sys.stdout.buffer.write(output.body)
        sys.stdout.buffer.flush()
        return
    _print_table(json.loads(output.body))


def _print_table(results: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    if "boolean" in results:
        typer.echo("true" if results["boolean"] else "false")
        return
    head = results.get("head", {})
    names: list[str] = list(head.get("vars", [])) if isinstance(head, dict) else []
    body = results.get("results", {})
    rows = body.get("bindings", []) if isinstance(body, dict) else []
    table = Table(show_lines=False)
    for name in names:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(n)) for n in names))
    console = Console(soft_wrap=True)
    console.print(table)
    console.print(f"{len(rows)} row(s)", style="dim")


def _cell(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    if term.get("type") == "bnode":
        return f"_:{term['value']}"
    if "xml:lang" in term:
        return f"{term['value']}@{term['xml:lang']}"
    return term["value"]


def export(
    fmt: Annotated[str, typer.Option("--format", help="RDF format")] = "trig",
    graph: Annotated[str | None, typer.Option(help="only this named graph")] = None,
    output: Annotated[Path | None, typer.Option(help="file to write (default: stdout)")] = None,
    store: StoreOption = None,
) -> None:
    """Write the store (or one graph) as RDF, streamed."""
    from trialgraph.store import RDF_FORMATS

    if fmt not in RDF_FORMATS:
        raise UnsupportedFormat(f"unknown format {fmt!r}; valid: {', '.join(sorted(RDF_FORMATS))}")
    with _open_store(store) as source:
        chunks = source.dump(fmt=fmt, graph=graph)
        if output is None:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
        try:
            with output.open("wb") as sink:
                for chunk in chunks:
                    sink.write(chunk)
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {output}", err=True)


def stats(store: StoreOption = None) -> None:
    """Graphs, triples, trials and results in the store."""
    from trialgraph.vocab import TG

    with _open_store(store) as source:
        graphs = source.graphs()
        total = source.count()
        counts = {
            label: source.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{cls}> }}")
            for label, cls in (("trials", TG.Trial), ("results", TG.Result))
        }
    typer.echo(f"graphs:  {len(graphs)}")
    typer.echo(f"triples: {total}")
    for label, rows in counts.items():
        typer.echo(f"{label + ':':8} {int(str(rows[0]['n'])) if rows else 0}")


def register(app: typer.Typer) -> None:
    """Add the store commands to ``app``."""
    app.command("load")(load)
    app.command("query")(query)
    app.command("export")(export)
    app.command("stats")(stats)
