"""Research for issue 14: which carrier of a block key survives an editor (run by hand, not in CI).

    python benchmarks/carriers.py [REPORT.docx]      # default: builds the sample into a temp folder

Four carriers are injected, one at a time, into every non-empty body paragraph
and table cell of a real report:

    bookmark   a hidden bookmark (_pr…) from the block's first run to its last
    point      a hidden collapsed bookmark at the start of the block
    sdt-block  a block-level content control (w:tag, appearance hidden) around the paragraph(s)
    sdt-run    a run-level content control around the paragraph's runs

Then each editor-like edit is made with python-docx / lxml on 30 paragraphs and
30 cells (a fresh copy per edit), and the script counts, per carrier, how many
of the edited blocks can still be found by their key with their text, and how
many of the untouched blocks' keys remain. Finally every carrier goes through
`soffice --headless --convert-to docx` (unedited and with all edits) and the
same counts are taken, plus whether LibreOffice keeps a customXml part.
"""
from __future__ import annotations

import copy
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
q = lambda tag: f"{{{W}}}{tag}"  # noqa: E731
TARGETS = 30


def text(el) -> str:
    return "".join(t.text or "" for t in el.iter(q("t")))


# ---- the blocks of a report ----------------------------------------------
def blocks(body):
    """Return [(kind, element)]: every body paragraph and table cell with text."""
    found = []
    for child in body.iterchildren():
        if child.tag == q("p") and text(child).strip():
            found.append(("p", child))
        elif child.tag == q("tbl"):
            found += [("c", tc) for tc in child.iter(q("tc")) if text(tc).strip()]
    return found


def paragraphs_of(kind, el):
    return [el] if kind == "p" else el.findall(q("p"))


# ---- carriers --------------------------------------------------------------
def _first_content(p):
    ppr = p.find(q("pPr"))
    return 1 if ppr is not None else 0


def put_bookmark(kind, el, n, point=False):
    ps = paragraphs_of(kind, el)
    start = etree.Element(q("bookmarkStart"), {q("id"): str(90000 + n), q("name"): f"_pr{n:06d}"})
    end = etree.Element(q("bookmarkEnd"), {q("id"): str(90000 + n)})
    ps[0].insert(_first_content(ps[0]), start)
    if point:
        start.addnext(end)
    else:
        ps[-1].append(end)


def _sdt(n):
    """A hidden content control tagged with block number `n`; returns it and its content element."""
    sdt = etree.Element(q("sdt"))
    pr = etree.SubElement(sdt, q("sdtPr"))
    etree.SubElement(pr, q("tag"), {q("val"): f"pr{n:06d}"})
    etree.SubElement(pr, q("id"), {q("val"): str(90000 + n)})
    etree.SubElement(pr, f"{{{W15}}}appearance", {f"{{{W15}}}val": "hidden"})
    return sdt, etree.SubElement(sdt, q("sdtContent"))


def put_sdt_block(kind, el, n):
    ps = paragraphs_of(kind, el)
    sdt, content = _sdt(n)
    ps[0].addprevious(sdt)
    for p in ps:
        content.append(p)


def put_sdt_run(kind, el, n):
    for i, p in enumerate(paragraphs_of(kind, el)[:1]):
        sdt, content = _sdt(n)
        runs = [c for c in p if c.tag in (q("r"), q("hyperlink"))]
        if runs:
            runs[0].addprevious(sdt)
        else:
            p.append(sdt)
        for r in runs:
            content.append(r)


CARRIERS = {
    "bookmark": lambda k, e, n: put_bookmark(k, e, n),
    "point": lambda k, e, n: put_bookmark(k, e, n, point=True),
    "sdt-block": put_sdt_block,
    "sdt-run": put_sdt_run,
}


def read_keys(body, carrier) -> dict[str, str]:
    """Return key -> the text it carries now."""
    found = {}
    if carrier in ("bookmark", "point"):
        ends = {e.get(q("id")): e for e in body.iter(q("bookmarkEnd"))}
        for start in body.iter(q("bookmarkStart")):
            name = start.get(q("name"), "")
            if not name.startswith("_pr"):
                continue
            p = next((a for a in start.iterancestors(q("p"))), None)
            if p is None:  # moved out of a paragraph (LibreOffice does this for a cell's first block)
                p = start.getnext()
            cell = next(start.iterancestors(q("tc")), None)
            if carrier == "point" or cell is not None:
                holder = cell if cell is not None else p
                found[name[3:]] = text(holder) if holder is not None else ""
                continue
            end = ends.get(start.get(q("id")))
            if end is None:
                found[name[3:]] = ""
                continue
            # the text between start and end, in document order
            collecting, parts = False, []
            for node in body.iter():
                if node is start:
                    collecting = True
                elif node is end:
                    break
                elif collecting and node.tag == q("t"):
                    parts.append(node.text or "")
            found[name[3:]] = "".join(parts)
    else:
        for sdt in body.iter(q("sdt")):
            tag = sdt.find(f"{q('sdtPr')}/{q('tag')}")
            if tag is not None and tag.get(q("val"), "").startswith("pr"):
                found[tag.get(q("val"))[2:]] = text(sdt.find(q("sdtContent")))
    return found


# ---- editor-like edits -----------------------------------------------------
def _runs(p):
    return [r for r in p.iter(q("r")) if r.find(q("t")) is not None and (r.find(q("t")).text or "")]


def reword(p):
    """Retype a few characters in the middle of the longest run."""
    runs = _runs(p)
    if not runs:
        return False
    t = max(runs, key=lambda r: len(r.find(q("t")).text)).find(q("t"))
    mid = len(t.text) // 2
    t.text = t.text[:mid] + "（经编辑改写）" + t.text[mid + 2:]
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return True


def bold(p):
    """Split the longest run in three and bold the middle, as Word does when a phrase is made bold."""
    runs = _runs(p)
    if not runs:
        return False
    run = max(runs, key=lambda r: len(r.find(q("t")).text))
    value = run.find(q("t")).text
    a, b = len(value) // 3, 2 * len(value) // 3
    pieces = [value[:a], value[a:b], value[b:]]
    made = []
    for i, piece in enumerate(pieces):
        new = copy.deepcopy(run)
        new.find(q("t")).text = piece
        new.find(q("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if i == 1:
            rpr = new.find(q("rPr"))
            if rpr is None:
                rpr = etree.Element(q("rPr"))
                new.insert(0, rpr)
            rpr.insert(0, etree.Element(q("b")))
        made.append(new)
    for new in made:
        run.addprevious(new)
    run.getparent().remove(run)
    return True


def retype(p):
    """Rewrite the paragraph inside its boundaries: the first run gets the new text, the others go."""
    runs = _runs(p)
    if not runs:
        return False
    runs[0].find(q("t")).text = "编辑重写了这一段，数字为 12,345.67 万元。"
    for r in runs[1:]:
        r.getparent().remove(r)
    return True


def clear(p):
    """python-docx's paragraph.text = …: everything but the pPr goes, one new run."""
    for child in list(p):
        if child.tag != q("pPr"):
            p.remove(child)
    r = etree.SubElement(p, q("r"))
    etree.SubElement(r, q("t")).text = "编辑重写了这一段，数字为 12,345.67 万元。"
    return True


def insert_after(p):
    """A new paragraph after this one, with its paragraph properties (Enter at the end, then typing)."""
    new = etree.Element(q("p"))
    if p.find(q("pPr")) is not None:
        new.append(copy.deepcopy(p.find(q("pPr"))))
    r = etree.SubElement(new, q("r"))
    etree.SubElement(r, q("t")).text = "编辑插入的一段。"
    p.addnext(new)
    return True


def split(p):
    """Enter in the middle of the text: what follows the middle character moves to a new paragraph."""
    runs = _runs(p)
    total = sum(len(r.find(q("t")).text) for r in runs)
    if total < 2:
        return False
    middle, seen = total // 2, 0
    for run in runs:
        value = run.find(q("t")).text
        if seen + len(value) > middle:
            break
        seen += len(value)
    cut = middle - seen
    tail = copy.deepcopy(run)
    tail.find(q("t")).text = value[cut:]
    run.find(q("t")).text = value[:cut]
    new = etree.Element(q("p"))
    if p.find(q("pPr")) is not None:
        new.append(copy.deepcopy(p.find(q("pPr"))))
    new.append(tail)
    following = list(run.itersiblings()) if run.getparent() is p else []
    for c in following:
        new.append(c)
    p.addnext(new)
    return True


def delete(p):
    p.getparent().remove(p)
    return True


EDITS = {"reword": reword, "bold": bold, "retype": retype, "clear (python-docx .text=)": clear,
         "insert after": insert_after, "split (Enter mid-paragraph)": split, "delete": delete}
BODY_ONLY = {"insert after", "split (Enter mid-paragraph)"}  # in a cell these are edits of the cell's text


def edit_blocks(body, carrier, edit_name):
    """Apply one edit to TARGETS paragraphs and TARGETS cells; return the keys of the blocks edited."""
    edit = EDITS[edit_name]
    keyed = read_keys(body, carrier)
    items = list(_locate(body, carrier).items())
    paras = [(k, p) for k, (kind, p) in items if kind == "p"]
    cells = [(k, p) for k, (kind, p) in items if kind == "c"]
    chosen = paras[:: max(1, len(paras) // TARGETS)][:TARGETS]
    if edit_name not in BODY_ONLY:
        chosen += cells[:: max(1, len(cells) // TARGETS)][:TARGETS]
    done = []
    for key, p in chosen:
        if key in keyed and edit(p):
            done.append(key)
    return done


def _locate(body, carrier):
    """key -> (kind, the block's first w:p), found through the carrier."""
    found = {}
    if carrier in ("bookmark", "point"):
        for start in body.iter(q("bookmarkStart")):
            if start.get(q("name"), "").startswith("_pr"):
                p = next(start.iterancestors(q("p")))
                found[start.get(q("name"))[3:]] = ("c" if next(p.iterancestors(q("tc")), None) is not None else "p", p)
    else:
        for sdt in body.iter(q("sdt")):
            tag = sdt.find(f"{q('sdtPr')}/{q('tag')}")
            if tag is not None:
                p = next(sdt.iter(q("p")), None) if sdt.find(f"{q('sdtContent')}/{q('p')}") is not None \
                    else next(sdt.iterancestors(q("p")))
                found[tag.get(q("val"))[2:]] = ("c" if next(p.iterancestors(q("tc")), None) is not None else "p", p)
    return found


# ---- documents ---------------------------------------------------------------
def load(path: Path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def save(parts: dict, root, path: Path):
    out = dict(parts)
    out["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in out.items():
            z.writestr(n, data)


def with_store(parts: dict) -> dict:
    """Add a customXml item the way the engine will, to see whether LibreOffice keeps it."""
    out = dict(parts)
    out["customXml/item9.xml"] = b'<?xml version="1.0" encoding="UTF-8"?><blocks xmlns="urn:perfreport:test"/>'
    out["customXml/itemProps9.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><ds:datastoreItem ds:itemID="{11111111-2222-3333-4444-555555555555}"'
        b' xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
        b'<ds:schemaRef ds:uri="urn:perfreport:test"/></ds:schemaRefs></ds:datastoreItem>')
    out["customXml/_rels/item9.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/customXmlProps" Target="itemProps9.xml"/></Relationships>')
    ct = out["[Content_Types].xml"].decode()
    out["[Content_Types].xml"] = ct.replace("</Types>", '<Override PartName="/customXml/itemProps9.xml" ContentType='
                                            '"application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>'
                                            "</Types>").encode()
    rels = out["word/_rels/document.xml.rels"].decode()
    out["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", '<Relationship Id="rId99" Type="http://schemas.'
                                                       'openxmlformats.org/officeDocument/2006/relationships/customXml"'
                                                       ' Target="../customXml/item9.xml"/></Relationships>').encode()
    return out


def libreoffice(path: Path, folder: Path) -> Path:
    out = folder / "lo"
    out.mkdir(exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "docx",
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=300)
    return out / path.name


def prepared(report: Path, carrier: str):
    parts = load(report)
    root = etree.fromstring(parts["word/document.xml"])
    body = root.find(q("body"))
    originals = {}
    for n, (kind, el) in enumerate(blocks(body)):
        # a run-level control cannot span paragraphs: it carries the block's first paragraph
        originals[f"{n:06d}"] = text(paragraphs_of(kind, el)[0] if carrier == "sdt-run" else el)
        CARRIERS[carrier](kind, el, n)
    return parts, root, originals


def survival(found: dict, originals: dict, edited: list[str], edit_name: str) -> tuple[int, int, int]:
    """(edited blocks still found by key, edited blocks, untouched keys still there with their text)."""
    if edit_name == "delete":  # success = the key is gone (or empty): the deletion is visible
        kept = sum(1 for k in edited if not found.get(k, "").strip())
    elif edit_name in BODY_ONLY:  # the key still spans exactly the block's text: the new paragraph is outside it,
        # the split-off half inside it
        kept = sum(1 for k in edited if found.get(k) == originals[k])
    else:
        kept = sum(1 for k in edited if found.get(k, "").strip())
    untouched = sum(1 for k in originals if k not in edited and found.get(k) == originals[k])
    return kept, len(edited), untouched


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="carriers-"))
    if len(sys.argv) > 1:
        report = Path(sys.argv[1])
    else:
        from perfreport.pipeline import build
        report = folder / "sample.docx"
        build(ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx", report)
    print(f"report: {report}")
    for carrier in CARRIERS:
        parts, root, originals = prepared(report, carrier)
        print(f"\n## {carrier}: {len(originals)} blocks keyed")
        import docx
        injected = folder / f"{carrier}.docx"
        save(with_store(parts), root, injected)
        visible = sum(1 for p in docx.Document(str(injected)).paragraphs if p.text.strip())
        print(f"  python-docx Document.paragraphs with text: {visible}")
        for edit_name in EDITS:
            parts, root, originals = prepared(report, carrier)
            edited = edit_blocks(root.find(q("body")), carrier, edit_name)
            kept, total, untouched = survival(read_keys(root.find(q("body")), carrier), originals, edited, edit_name)
            print(f"  {edit_name:30s} edited blocks handled {kept}/{total}; untouched keys intact "
                  f"{untouched}/{len(originals) - total}")
        # LibreOffice: unedited, then with every edit on different blocks
        trip = libreoffice(injected, folder)
        lo = load(trip)
        found = read_keys(etree.fromstring(lo["word/document.xml"]).find(q("body")), carrier)
        same = sum(1 for k, v in originals.items() if found.get(k) == v)
        present = sum(1 for k in originals if k in found)
        print(f"  LibreOffice round trip, unedited: keys present {present}/{len(originals)}, "
              f"with the same text {same}/{len(originals)}; customXml item kept: "
              f"{any(b'urn:perfreport:test' in v for n, v in lo.items() if n.startswith('customXml/'))}")
        for edit_name in EDITS:
            parts, root, originals = prepared(report, carrier)
            edited = edit_blocks(root.find(q("body")), carrier, edit_name)
            path = folder / f"{carrier}-{edit_name.split()[0]}.docx"
            save(parts, root, path)
            lo = load(libreoffice(path, folder))
            found = read_keys(etree.fromstring(lo["word/document.xml"]).find(q("body")), carrier)
            kept, total, untouched = survival(found, originals, edited, edit_name)
            print(f"  LO after {edit_name:24s} edited handled {kept}/{total}; untouched intact "
                  f"{untouched}/{len(originals) - total}")


if __name__ == "__main__":
    main()
