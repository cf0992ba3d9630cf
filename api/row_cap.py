"""The result-row cap: count SELECT rows in any result format and cut them when asked.

Policy (honest for SPARQL clients, which mostly ignore headers): a result with more rows
than ``max_rows`` is an error (:class:`ResultLimitExceeded`, HTTP 422) telling the client to
page with LIMIT/OFFSET. A client that prefers a cut result asks for it with
``truncate=true`` and gets the first ``max_rows`` rows, the header
``X-Trialgraph-Truncated: max_rows=N`` and, in SPARQL JSON and XML, a head link
``urn:trialgraph:truncated:max_rows=N`` (the results formats' own metadata slot), so the
cut is visible in the body too. Never a short answer that looks complete.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from trialgraph.errors import ResultLimitExceeded
from trialgraph.store.base import RESULT_FORMATS, QueryOutput

__all__ = ["TRUNCATED_HEADER", "apply_row_cap", "count_rows", "row_bound", "truncation_marker"]

TRUNCATED_HEADER = "X-Trialgraph-Truncated"
_SRX = "http://www.w3.org/2005/sparql-results#"
_FORMAT_OF = {media: key for key, media in RESULT_FORMATS.items()}


def truncation_marker(max_rows: int) -> str:
    """The link put in the result head when rows were cut."""
    return f"urn:trialgraph:truncated:max_rows={max_rows}"


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


def _tsv_lines(body: bytes) -> list[bytes]:
    """TSV escapes newlines inside terms, so one line is one row; the first is the header."""
    return [line for line in body.split(b"\n") if line]


#: a byte every row of the format contains at least once (CSV/TSV: a line end; JSON: the
#: binding object's brace; XML: ``<result``), so its count bounds the rows from above
_ROW_MARK = {"json": b"{", "xml": b"<result", "csv": b"\n", "tsv": b"\n"}


def row_bound(output: QueryOutput) -> int:
    """An upper bound on the rows, from one byte count (no parse): most results are far
    under the cap, and parsing them only to count would cost more than the query did."""
    return output.body.count(_ROW_MARK[_FORMAT_OF[output.media_type]])


def count_rows(output: QueryOutput) -> int:
    """Rows of a SELECT result in JSON, XML, CSV or TSV."""
    fmt = _FORMAT_OF[output.media_type]
    if fmt == "json":
        return len(json.loads(output.body).get("results", {}).get("bindings", []))
    if fmt == "xml":
        root = ET.fromstring(output.body)
        return len(root.findall(f"{{{_SRX}}}results/{{{_SRX}}}result"))
    if fmt == "csv":
        return max(0, len(_csv_rows(output.body)) - 1)
    return max(0, len(_tsv_lines(output.body)) - 1)


def _cut(output: QueryOutput, max_rows: int) -> bytes:
    fmt = _FORMAT_OF[output.media_type]
    marker = truncation_marker(max_rows)
    if fmt == "json":
        doc = json.loads(output.body)
        doc["results"]["bindings"] = doc["results"]["bindings"][:max_rows]
        doc["head"].setdefault("link", []).append(marker)
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        ET.register_namespace("", _SRX)
        root = ET.fromstring(output.body)
        results = root.find(f"{{{_SRX}}}results")
        assert results is not None
        for extra in results.findall(f"{{{_SRX}}}result")[max_rows:]:
            results.remove(extra)
        head = root.find(f"{{{_SRX}}}head")
        assert head is not None
        ET.SubElement(head, f"{{{_SRX}}}link", {"href": marker})
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)
    if fmt == "csv":
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(_csv_rows(output.body)[: max_rows + 1])
        return out.getvalue().encode("utf-8")
    return b"\n".join(_tsv_lines(output.body)[: max_rows + 1]) + b"\n"


def apply_row_cap(
    output: QueryOutput, max_rows: int, *, truncate: bool
) -> tuple[QueryOutput, bool]:
    """Check a SELECT result against the cap; returns (output, was it cut).

    :raises ResultLimitExceeded: over the cap and the client did not ask for truncation.
    """
    if output.kind != "select" or output.media_type not in _FORMAT_OF:
        return output, False
    if row_bound(output) <= max_rows:
        return output, False
    rows = count_rows(output)
    if rows <= max_rows:
        return output, False
    if not truncate:
        raise ResultLimitExceeded(
            f"the result has more than {max_rows} rows (this server's max_rows); page through "
            f"it with LIMIT and OFFSET, or add truncate=true to get the first {max_rows} rows"
        )
    return QueryOutput(_cut(output, max_rows), output.media_type, output.kind), True
