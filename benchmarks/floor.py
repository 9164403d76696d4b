"""The floor of a build: only docxtpl rendering and saving the template with the final context.

Run by bench.py as its own process:  python floor.py CONTEXT.pickle TEMPLATE.docx OUT.docx
CONTEXT.pickle is the context perfreport's compose stage produced for the
workbook (plain dicts, lists and strings). Nothing of perfreport is imported:
what a build costs above this process is perfreport's own work (reading the
workbook, checking, scoring, composing, post-processing the document).
"""
import pickle
import sys

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined


def main(context_path: str, template: str, output: str) -> None:
    with open(context_path, "rb") as handle:
        context = pickle.load(handle)
    tpl = DocxTemplate(template)
    values = dict(context)
    values["qr_image"] = ""  # render.py puts an InlineImage here only when a QR image is given
    tpl.render(values, Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True))
    tpl.save(output)


if __name__ == "__main__":
    main(*sys.argv[1:4])
