"""Readers: which files are articles, how they decode, and one-line errors for bad input."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from trialgraph.ingest.sources.document import Document
from trialgraph.ingest.sources.html import html_to_text
from trialgraph.ingest.sources.readers import (
    ReadError,
    decode_document,
    read_path,
    read_stream,
)

from trialgraph.errors import InputError

ARTICLE = "The phase 3 ZEPHYR-9 trial enrolled 400 patients. Median PFS was 9.1 months.\n"


def docs(items: list[Document | ReadError]) -> list[Document]:
    return [d for d in items if isinstance(d, Document)]


def errors(items: list[Document | ReadError]) -> list[ReadError]:
    return [d for d in items if isinstance(d, ReadError)]


def test_folder_is_walked_sorted_and_skips_non_articles(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text(ARTICLE)
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "c.html").write_text(f"<p>{ARTICLE}</p>")
    (tmp_path / "SOURCES.md").write_text("# where these came from\n")
    (tmp_path / "readme.MD").write_text("about\n")
    (tmp_path / "gold.json").write_text("{}")
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(ARTICLE)
    items = list(read_path(tmp_path))
    assert [d.name for d in docs(items)] == ["a.txt", "c.html", "two.md"]
    assert not errors(items)
    assert {d.media_type for d in docs(items)} == {"text/plain", "text/html", "text/markdown"}


def test_explicit_paperwork_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "SOURCES.md"
    path.write_text(ARTICLE)
    assert [d.text for d in docs(list(read_path(path)))] == [ARTICLE]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty input"),
        (b"  \n\t \n", "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Trastuzumab improved survival, caf\u00e9".encode("latin-1"), "not UTF-8"),
        ("Median PFS \u00e9".encode()[:-1], "truncated"),
        ("\ufeffhello".encode("utf-16"), "UTF-16"),
    ],
)
def test_bad_bytes_give_one_line_errors(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    (item,) = list(read_path(path))
    assert isinstance(item, ReadError)
    assert fragment in item.message
    assert str(path) in item.message
    assert "\n" not in item.message


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * 2048)
    (item,) = list(read_path(path, max_bytes=1024))
    assert isinstance(item, ReadError) and "limit" in item.message
    (ok,) = list(read_path(path, max_bytes=4096))
    assert isinstance(ok, Document)


def test_a_bad_file_does_not_stop_the_folder(tmp_path: Path) -> None:
    (tmp_path / "1-good.txt").write_text(ARTICLE)
    (tmp_path / "2-bad.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "3-cut.html").write_text("<html><body><p>Median PFS was 9 months</p><di")
    (tmp_path / "4-good.html").write_text(f"<html><body>{ARTICLE}</body></html>")
    items = list(read_path(tmp_path))
    assert [d.name for d in docs(items)] == ["1-good.txt", "4-good.html"]
    assert [Path(e.source).name for e in errors(items)] == ["2-bad.txt", "3-cut.html"]


def test_unsupported_and_missing_paths(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4")
    (item,) = list(read_path(path))
    assert isinstance(item, ReadError) and "unsupported file type" in item.message
    (missing,) = list(read_path(tmp_path / "nope.txt"))
    assert isinstance(missing, ReadError) and "no such file" in missing.message


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(ARTICLE.encode()))
    monkeypatch.setattr(sys, "stdin", fake)
    (item,) = list(read_path("-"))
    assert isinstance(item, Document) and item.text == ARTICLE and item.source == "-"
    big = read_stream(io.BytesIO(b"x" * 100), max_bytes=10)
    assert isinstance(big, ReadError) and "limit" in big.message


def test_bom_is_dropped_and_offsets_index_the_text() -> None:
    doc = decode_document(
        b"\xef\xbb\xbf" + ARTICLE.encode(), name="a.txt", source="a.txt", media_type="text/plain"
    )
    assert doc.text == ARTICLE
    start = doc.text.index("Median")
    assert doc.text[start : start + 6] == "Median"


def test_html_text_drops_script_and_style_and_decodes_entities() -> None:
    html = (
        "<!doctype html><html><head><title>Trial news</title><style>p{color:red}</style>"
        "<script>var x = '<p>no</p>';</script></head><body><h1>ZEPHYR&#8209;9 &amp; more"
        "</h1><p>Median PFS was 9.1&nbsp;months<br>vs 6.2 months.</p><!-- hidden -->"
        "<ul><li>HR&nbsp;0.65</li><li>p &lt; 0.001</li></ul></body></html>"
    )
    text = html_to_text(html, name="t.html")
    assert text.splitlines() == [
        "Trial news",
        "",
        "ZEPHYR\u20119 & more",
        "",
        "Median PFS was 9.1 months",
        "vs 6.2 months.",
        "",
        "HR 0.65",
        "",
        "p < 0.001",
    ]
    assert "color" not in text and "var x" not in text and "hidden" not in text
    assert "ZEPHYR\u20119 & more" in text and "p < 0.001" in text
    assert "9.1 months" in text


@pytest.mark.parametrize(
    ("html", "fragment"),
    [
        ("<html><body><p>Median PFS was 9 months</p><di", "ends inside"),
        ("<html><body><p>Median PFS was 9 months</p>", "never closed"),
        ("<p>Median PFS was 9 months</p><!-- a comment that never", "ends inside"),
        ("<html><body><script>nothing</script></body></html>", "no text"),
    ],
)
def test_truncated_or_empty_html(html: str, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        decode_document(html.encode(), name="t.html", source="t.html", media_type="text/html")


@given(st.text(max_size=300))
def test_html_never_crashes_on_arbitrary_text(html: str) -> None:
    try:
        text = html_to_text(html)
    except InputError as exc:
        assert "truncated" in str(exc)
    else:
        assert "\n\n\n" not in text
