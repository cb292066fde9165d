"""Reading a raw file's bytes into text, refusing what is not what the manifest says it is."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from pipeline.domain.errors import RawInputError
from pipeline.domain.freetext import INVISIBLE, describe
from pipeline.domain.manifest import check_size

# Byte sequences that appear when UTF-8 text is decoded as ISO-8859-1 (or was double-encoded): Ã¤ Ã¶ Ã¼ Ã„ Ã– Ãœ
# ÃŸ Â© Â° etc. German statistical text never contains these pairs on purpose.
_MOJIBAKE = ("Ã¤", "Ã¶", "Ã¼", "Ã„", "Ã–", "Ãœ", "ÃŸ", "Â©", "Â°", "Ã©", "â€")


# C0 controls other than tab, line feed and carriage return, DEL and the C1 range: none belongs in a published table
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


NEWLINE = b"\n"


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _column_of(text: str, pos: int) -> str:
    """The character position within its line (1-based), as the column of a problem in running text."""
    return f"character {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def read_text(path: Path, encoding: str, display_name: str | None = None, invisible: bool = True) -> str:
    """Decode ``path`` strictly with the manifest's ``encoding`` and return the text.

    Refuses: files over MAX_FILE_BYTES, empty files, bytes invalid in the declared encoding, a byte-order mark on a
    file declared as ISO-8859-1, control characters (binary data), text that shows the marks of a wrong decoding
    (mojibake), and invisible or direction-changing characters (pipeline/domain/freetext.py; ``invisible=False`` for a
    reader that checks them field by field, naming the column).
    """
    name = display_name or str(path)
    check_size(path, name)
    data = path.read_bytes()
    if not data.strip():
        raise RawInputError.single(name, "not empty", "file is empty", line=1)
    enc = codecs.lookup(encoding).name  # normalises 'ISO-8859-1', 'latin-1' ... to one spelling
    if data.startswith(codecs.BOM_UTF8):
        if enc != "utf-8":
            raise RawInputError.single(
                name,
                "encoding",
                f"file starts with a UTF-8 byte-order mark but the manifest declares {encoding}",
                line=1,
                column="character 1",
            )
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode(enc, errors="strict")
    except UnicodeDecodeError as exc:
        raise RawInputError.single(
            name,
            "encoding",
            f"byte {data[exc.start]:#04x} at offset {exc.start} is not valid {encoding}; "
            "is the file in another encoding than the manifest declares?",
            line=_line_of_offset(data, exc.start),
            column=f"byte {exc.start - data.rfind(NEWLINE, 0, exc.start)}",
        ) from None
    for mark in _MOJIBAKE:
        pos = text.find(mark)
        if pos >= 0:
            line = text.count("\n", 0, pos) + 1
            hint = (
                "the file looks UTF-8 encoded but the manifest declares ISO-8859-1"
                if enc != "utf-8"
                else "the text was encoded twice (mojibake)"
            )
            raise RawInputError.single(
                name, "encoding", f"found '{mark}' where a German letter belongs: {hint}", line=line,
                column=_column_of(text, pos),
            )
    if m := _CONTROL.search(text):
        c = m.group()
        hint = " (Windows-1252 text read as ISO-8859-1?)" if "\x80" <= c <= "\x9f" else ""
        raise RawInputError.single(
            name,
            "text file, no control characters",
            f"control character U+{ord(c):04X} at offset {m.start()}: this is not a text table{hint}",
            line=text.count("\n", 0, m.start()) + 1,
            column=_column_of(text, m.start()),
        )
    if invisible and (m := INVISIBLE.search(text)):
        raise RawInputError.single(
            name,
            "no invisible characters",
            f"{describe(m.group())} at offset {m.start()}: an invisible or direction-changing character, which makes text read "
            "otherwise than it is written (or two equal-looking texts differ); remove it",
            line=text.count("\n", 0, m.start()) + 1,
            column=_column_of(text, m.start()),
        )
    return text
