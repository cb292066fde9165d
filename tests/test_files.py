"""pipeline/domain/files.py: a file is replaced in one step, or not at all."""

import pytest

from pipeline.domain.files import replace_atomically


def test_bytes_text_and_a_copied_file_replace_the_target_and_leave_nothing_beside_it(tmp_path):
    target = tmp_path / "sources.yaml"
    target.write_text("old\n", encoding="utf-8")
    assert replace_atomically(target, b"bytes\n") == target and target.read_bytes() == b"bytes\n"
    replace_atomically(target, "Düsseldorf\n")
    assert target.read_bytes() == "Düsseldorf\n".encode()
    source = tmp_path / "built.pdf"
    source.write_bytes(b"%PDF-1.7 ...")
    replace_atomically(target, source)
    assert target.read_bytes() == b"%PDF-1.7 ..." and source.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["built.pdf", "sources.yaml"]


def test_a_write_that_fails_leaves_the_old_file(tmp_path):
    target = tmp_path / "index.html"
    target.write_text("last good\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        replace_atomically(target, tmp_path / "missing.pdf")
    assert target.read_text(encoding="utf-8") == "last good\n"
