"""Macros that stream (perfreport.macrostream) print what jinja2's print, and a table is never one string."""
from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError
from markupsafe import Markup

from perfreport import macrostream, render
from perfreport.macrostream import Environment as Streaming
from perfreport.pipeline import build

SAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "shizhong_gxj_2023.xlsx"


SOURCES = {
    "nested, in loops": "{% macro row(r) %}<{{ r }}>{% endmacro %}{% macro table(rows) %}[{% for r in rows %}"
                        "{{ row(r) }}{% endfor %}]{% endmacro %}{% for t in tables %}{{ table(t) }}{% endfor %}",
    "defaults, keywords, varargs, kwargs": "{% macro m(a, b=2) %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}"
                                           "{% endmacro %}{{ m(1) }}{{ m(1, 3, 4, c=5) }}{{ m(b=6, a='&') }}",
    "a macro that writes nothing": "{% macro m() %}{% set x = 1 %}{% endmacro %}a{{ m() }}b",
    "through a filter or a set": "{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m('&') | upper }}"
                                 "{% set s = m('a') %}{{ s }}{% set b %}{{ m('b') }}{% endset %}{{ b }}",
    "a call block and caller": "{% macro m() %}({{ caller() }}){% endmacro %}{% call m() %}{{ '<i>' }}"
                               "{% endcall %}{% macro n() %}{{ caller('x') }}{% endmacro %}"
                               "{% call(v) n() %}[{{ v }}]{% endcall %}",
    "calls that are not macros": "{{ f('<b>') }}{{ d.get('k') }}{{ range(3) | list }}",
    "what is escaped": "{% for v in printed %}{{ v }}|{% endfor %}{{ tables }}{{ printed[4] | safe }}",
    "a macro inside a macro": "{% macro outer(x) %}{% macro inner(y) %}{{ y }}!{% endmacro %}{{ inner(x) }}"
                              "{{ inner(x ~ x) }}{% endmacro %}{{ outer('a') }}",
    "escaping off": "{% autoescape false %}{% macro m(x) %}{{ x }}{% endmacro %}{{ m('<a>') }}{% endautoescape %}",
}


@pytest.mark.parametrize("name", SOURCES)
@pytest.mark.parametrize("autoescape", [True, False])
def test_a_streamed_macro_prints_what_jinja2_prints(name, autoescape):
    values = {"tables": [[1, "<"], [], ["&"]], "f": lambda s: s + "&", "d": {"k": "<v>"},
              "printed": ["甲", "&<>'\"", 1.5, None, Markup("<i>")]}
    made = [env(autoescape=autoescape, undefined=StrictUndefined).from_string(SOURCES[name]).render(values)
            for env in (Environment, Streaming)]
    assert made[0] == made[1]


def test_a_macro_printed_alone_yields_as_it_writes(monkeypatch):
    monkeypatch.setattr(macrostream, "FLUSH", 2)
    source = ("{% macro row(i) %}<{{ i }}>{% endmacro %}{% macro m(n) %}[{% for i in range(n) %}{{ i }}{{ i }}"
              "{% endfor %}{{ row(n) }}]{% endmacro %}a{{ m(3) }}b")
    assert list(Streaming(autoescape=True).from_string(source).generate()) == \
        ["a", "[00", "11", "22", "<3>", "]", "b"]


def test_a_name_no_one_supplies_is_still_an_error_naming_it():
    source = "{% macro m() %}{{ missing_name }}{% endmacro %}{{ m() }}"
    with pytest.raises(UndefinedError, match="missing_name"):
        Streaming(undefined=StrictUndefined).from_string(source).render()


def test_the_report_body_comes_in_pieces_smaller_than_any_table(monkeypatch, tmp_path):
    largest = []
    segments = render._segments

    def watched(pieces):
        def sizes():
            for piece in pieces:
                largest.append(len(piece))
                yield piece
        return segments(sizes())
    monkeypatch.setattr(render, "_segments", watched)
    assert build(SAMPLE, tmp_path / "out.docx").ok
    assert max(largest) < 50_000  # FLUSH pieces at most; the sample's largest table is over 100,000 characters
