"""``trialgraph ingest`` and ``trialgraph conflicts``; registered by ``cli.build_app``.

Exit codes of ``ingest``: 0 when at least one article was ingested (unreadable or
rejected inputs are listed, one line each, on stderr and in the summary, but the rest of
the run stands); 1 when nothing could be ingested (every input failed, or no article
was found) or when the store failed (the run stops at the first store error, with every
article committed before it whole in the store).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["conflict_rows", "register"]

StoreOption = Annotated[
    str | None,
    typer.Option("--store", "-s", help="Store string, e.g. oxigraph:./data (default: settings)."),
]


class ConflictFormat(StrEnum):
    table = "table"
    json = "json"


def _settings(store: str | None, base_iri: str | None = None) -> Any:
    from trialgraph.config import Settings

    return Settings.from_env(store=store, base_iri=base_iri)


def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Article files (.txt .md .html), folders, or - for stdin.")
    ],
    store: StoreOption = None,
    base_iri: Annotated[str | None, typer.Option(help="Base IRI of minted resources.")] = None,
    max_bytes: Annotated[int, typer.Option(help="Largest article accepted, in bytes.", min=1)] = 5
    * 1024
    * 1024,
) -> None:
    """Extract trials and results from articles into the store, one named graph each."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from trialgraph.ingest.pipeline import ArticleReport, Pipeline

    from trialgraph.store import get_store

    settings = _settings(store, base_iri)
    err = Console(stderr=True)
    backend = get_store(settings.store)
    try:
        pipeline = Pipeline(backend, base_iri=settings.base_iri, max_bytes=max_bytes)
        show_bar = any(p != "-" and Path(p).is_dir() for p in paths)
        with Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=err,
            disable=not show_bar,
            transient=True,
        ) as progress:
            task = progress.add_task("", total=None)

            def on_report(report: ArticleReport) -> None:
                if report.error:
                    progress.console.print(
                        f"error: {report.error}",
                        style="red",
                        markup=False,
                        highlight=False,
                        soft_wrap=True,
                    )
                progress.update(task, advance=1, description=report.article or "")

            summary = pipeline.run(
                paths,
                on_total=lambda n: progress.update(task, total=n),
                on_report=on_report,
            )
    finally:
        backend.close()
    _print_summary(summary)
    if summary.articles == 0:
        reason = "no article found" if not summary.reports else "no article could be ingested"
        raise typer.Exit(_fail(reason))


def _fail(message: str) -> int:
    typer.secho(f"error: {message}", err=True, fg="red")
    return 1


def _print_summary(summary: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="ingest summary")
    for column in ("articles", "trials", "results", "warnings", "errors"):
        table.add_column(column, justify="right")
    table.add_row(
        *(str(getattr(summary, c)) for c in ("articles", "trials", "results", "warnings", "errors"))
    )
    console = Console()
    console.print(table)
    for report in summary.reports:
        for warning in report.warnings:
            console.print(
                f"warning: {report.source}: {warning}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )


def _text(row: Any, name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


def conflict_rows(store: Any) -> list[dict[str, Any]]:
    """Conflicts as plain dicts: the keys shared by both reports, then the two reports."""
    from trialgraph.queries.loader import get_named_query

    query = get_named_query("conflicts").text
    rows = []
    for row in store.select(query):
        reports = [
            {
                "result": _text(row, f"result{i}"),
                "value": _text(row, f"value{i}"),
                "unit": _text(row, f"unit{i}"),
                "not_reached": _text(row, f"notReached{i}"),
                "article": _text(row, f"article{i}"),
                "title": _text(row, f"title{i}"),
                "quote": _text(row, f"quote{i}"),
            }
            for i in (1, 2)
        ]
        keys = (
            "trial",
            "trialName",
            "endpoint",
            "measure",
            "arm",
            "experimentalArm",
            "controlArm",
            "subgroup",
        )
        rows.append({**{k: _text(row, k) for k in keys}, "reports": reports})
    return rows


def _short(iri: str | None) -> str:
    if iri is None:
        return ""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def conflicts(
    store: StoreOption = None,
    output: Annotated[
        ConflictFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ConflictFormat.table,
) -> None:
    """List results that two articles report differently (both reports are kept)."""
    from rich.console import Console
    from rich.table import Table

    from trialgraph.store import get_store

    backend = get_store(_settings(store).store)
    try:
        rows = conflict_rows(backend)
    finally:
        backend.close()
    if output is ConflictFormat.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} conflicting result pair(s)", show_lines=True)
    for column in ("trial", "endpoint", "measure", "arm(s)", "subgroup", "report 1", "report 2"):
        table.add_column(column)
    for row in rows:
        arms = (
            _short(row["arm"]) or f"{_short(row['experimentalArm'])} vs {_short(row['controlArm'])}"
        )
        cells = []
        for rep in row["reports"]:
            value = "not reached" if rep["value"] is None else rep["value"]
            cells.append(
                f"{value} {_short(rep['unit'])}\n{rep['title'] or rep['article']}\n"
                f"“{rep['quote'] or ''}”"
            )
        table.add_row(
            row["trialName"] or _short(row["trial"]),
            _short(row["endpoint"]),
            _short(row["measure"]),
            arms,
            _short(row["subgroup"]),
            *cells,
        )
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""
    app.command("ingest")(ingest)
    app.command("conflicts")(conflicts)
