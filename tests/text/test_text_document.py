"""Reading text, Markdown and HTML: plain text with offsets, clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipkg.errors import InputError
from chipkg.loaders.text.document import parse_document, read_document


def test_plain_text_keeps_offsets_and_drops_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffNVIDIA designs the H20.\n".encode())
    doc = read_document(path)
    assert doc.text.startswith("NVIDIA")
    assert doc.text[doc.text.index("H20") :].startswith("H20")
    assert doc.title == "NVIDIA designs the H20."


def test_html_tags_scripts_and_entities_are_removed() -> None:
    raw = (
        "<html><head><title>Chips &amp; rules</title><script>var x = 'NVIDIA';</script></head>"
        "<body><h1>Chips</h1><p>SK Hynix&rsquo;s <b>HBM3E</b> ships.</p><p>Second.</p></body></html>"
    )
    doc = parse_document(raw, "a.html", "html")
    assert doc.title == "Chips & rules"
    assert "var x" not in doc.text and "<" not in doc.text
    assert "SK Hynix\u2019s HBM3E ships." in doc.text
    assert "\n\n" in doc.text  # block tags become paragraph breaks


def test_html_offsets_map_back_to_the_file() -> None:
    raw = "<p>Intro <i>text</i>.</p><p>ASML builds EUV systems.</p>"
    doc = parse_document(raw, "a.html", "html")
    at = doc.text.index("ASML")
    assert raw[doc.source_offset(at) :].startswith("ASML")


def test_markdown_keeps_link_text_and_drops_markup() -> None:
    raw = "# Title\n\nThe **Chinese** start-up [Enflame](https://example.org) grows.\n"
    doc = parse_document(raw, "a.md", "markdown")
    assert "Enflame" in doc.text
    assert "https://" not in doc.text and "**" not in doc.text and "#" not in doc.text
    assert doc.title == "Title"


def test_undecodable_bytes_are_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Società".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.txt.*not valid UTF-8"):
        read_document(path)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"PK\x03\x04\x00\x00binary\x00junk")
    with pytest.raises(InputError, match="binary"):
        read_document(path)


def test_match_text_has_the_same_length() -> None:
    doc = parse_document("l\u2019azienda \u201cspecifiche\u201d\u00a010\u202f000", "x.txt")
    assert len(doc.match_text) == len(doc.text)
    assert doc.match_text == 'l\'azienda "specifiche" 10 000'
