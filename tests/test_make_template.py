"""templates/make_template.py writes the committed template, byte for byte, every time it runs."""
import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_the_script_writes_the_committed_template(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(TEMPLATES))
    monkeypatch.delitem(sys.modules, "make_template", raising=False)
    monkeypatch.delitem(sys.modules, "report_outline", raising=False)
    import make_template

    first, second = tmp_path / "first.docx", tmp_path / "second.docx"
    make_template.main(first)
    make_template.main(second)
    assert first.read_bytes() == second.read_bytes()  # no time of saving in the zip
    assert first.read_bytes() == make_template.OUT.read_bytes()  # the script and the .docx have not drifted
