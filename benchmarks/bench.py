"""Benchmark perfreport against the import floor, at scale and in batches; write benchmarks/RESULTS.md.

    /work/venv/bin/python benchmarks/bench.py               # everything, some ten minutes on 2 cores
    /work/venv/bin/python benchmarks/bench.py --quick       # fewer runs, no 1000x: to try it out
    /work/venv/bin/python benchmarks/bench.py --output -    # print the report instead of writing it

It runs the working tree it sits in (PYTHONPATH) with the interpreter that
runs it, bytecode cached in a temporary PYTHONPYCACHEPREFIX as on a user's
installation, templates prepared in a temporary PERFREPORT_CACHE (each
series' warm-up run prepares it). Every figure is measured in the run:

1. the sample's `perfreport build` and `perfreport check` against the
   floors, taking turns (paired runs, medians of wall and CPU time);
2. the stages in one process, and where the build's time goes (cProfile,
   and `python -X importtime` by package);
3. 10x, 100x and 1000x the sample's rows: whole-process time, CPU and peak
   memory; 1000x is over the reader's limits and runs with them lifted
   (benchmarks/unlimited.py), which the report says;
4. `--jobs 1` against `--jobs 2` on 20 copies of the sample.
Peak memory is the child's maximum resident set (os.wait4); the load of the
machine (other processes' CPU during each run, the load average) is noted.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
RESULTS = HERE / "RESULTS.md"
PYTHON = sys.executable
FLOOR = "import docxtpl, click, jinja2"  # the floor: the libraries reports are made with
BARE_FLOOR = "import click, jinja2"  # what a build imports beyond the standard library, its template prepared
STAGES = ("load", "validate", "crosscheck", "score", "compose", "render", "write")
TARGETS = {"floor_ratio": 1.3, "x100_s": 2.5, "x100_mb": 150, "x1000_s": 25.0, "x1000_mb": 800, "growth": 11.0,
           "jobs": 1.7}
TICK = os.sysconf("SC_CLK_TCK")


# ---- running processes ---------------------------------------------------------------------------
def busy() -> float:
    """CPU seconds all processes of the machine used so far (idle and iowait excluded)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / TICK


def timed(cmd: list, env: dict, expect: int = 0) -> dict:
    """Run `cmd`; return wall and CPU seconds, peak MB, and how many CPUs other processes kept busy."""
    before, start = busy(), time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([str(c) for c in cmd], env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != expect:
            out.seek(0)
            raise RuntimeError(f"{cmd} exited {os.waitstatus_to_exitcode(status)}:\n{out.read().decode()[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall": wall, "cpu": cpu, "mb": usage.ru_maxrss / 1024, "others": max(0.0, busy() - before - cpu) / wall}


def taking_turns(runs: int, series: dict[str, tuple[list, dict, Path | None]]) -> dict[str, dict]:
    """Run every series `runs` times, one run of each in turn, after one unmeasured warm-up run of each.

    Taking turns spreads the machine's other load over the series alike, so
    their ratios hold even when the absolute times do not. `series` maps a
    name to (command, environment, output to delete before each run).
    """
    found: dict[str, list[dict]] = {name: [] for name in series}
    for attempt in range(runs + 1):
        for name, (cmd, env, output) in series.items():
            if output and output.is_dir():
                shutil.rmtree(output)
            elif output:
                output.unlink(missing_ok=True)
            run = timed(cmd, env)
            if attempt:
                found[name].append(run)
    return {name: summarise(values) for name, values in found.items()}


def summarise(values: list[dict]) -> dict:
    return {"runs": [v["wall"] for v in values], "wall": statistics.median(v["wall"] for v in values),
            "cpu": statistics.median(v["cpu"] for v in values), "mb": max(v["mb"] for v in values),
            "others": statistics.median(v["others"] for v in values)}


class Tree:
    """The source tree measured, and the environments its processes run in."""

    def __init__(self, root: Path, work: Path):
        self.root, self.work = root, work
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env |= {"PYTHONPATH": str(root), "PYTHONPYCACHEPREFIX": str(work / "pycache"),
                     "PERFREPORT_CACHE": str(work / "prepared"), "PYTHONIOENCODING": "utf-8"}

    def perfreport(self, *args: object, unlimited: bool = False) -> list:
        return [PYTHON, HERE / "unlimited.py" if unlimited else "-m", *([] if unlimited else ["perfreport"]), *args]

    def helper(self, *args: object) -> dict:
        """Run one of this script's helpers in a fresh interpreter; return the JSON it prints."""
        done = subprocess.run([PYTHON, __file__, *map(str, args)], env=self.env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"helper {args} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


# ---- helpers, each in an interpreter of its own (python bench.py _name …) ------------------------
def _stages(workbook: str, runs: str, unlimited: str) -> None:
    """Time each stage of `pipeline.build` in one process; print the median of `runs` (the first apart)."""
    started = time.perf_counter()
    if unlimited == "1":
        sys.path.insert(0, str(HERE))
        from unlimited import lift
        lift()
    from perfreport import compose, crosscheck, load, output, pipeline, render, score, stale, validate
    from perfreport.edits.store import fingerprint
    imported = time.perf_counter() - started
    path, out = Path(workbook), Path(tempfile.mkdtemp()) / "stage.docx"
    rows = []
    for _ in range(int(runs)):
        t = [time.perf_counter()]
        book, _ = load.load(path)
        t.append(time.perf_counter())
        checked, _ = validate.validate(book, path.parent)
        t.append(time.perf_counter())
        crosscheck.crosscheck(checked, lambda cell: False)
        t.append(time.perf_counter())
        scores, _ = score.score(checked)
        stale.stale_numbers(checked, scores)
        t.append(time.perf_counter())
        context, _ = compose.compose(checked, scores, path.parent)
        t.append(time.perf_counter())
        data = render.render(context, stamp=(fingerprint(path), pipeline.subject(context))).data  # as a build
        t.append(time.perf_counter())
        output.write_atomically(data, out, True)
        t.append(time.perf_counter())
        rows.append([b - a for a, b in zip(t, t[1:])])
    first, rest = rows[0], rows[1:] or rows
    print(json.dumps({"import": imported, "first": first, "median": [statistics.median(c) for c in zip(*rest)]}))


def _imports(*command: str) -> None:
    """Own import time by top-level package of a process (`python -X importtime`), median of five."""
    totals: dict[str, list[float]] = {}
    for _ in range(5):
        done = subprocess.run([PYTHON, "-X", "importtime", *command], capture_output=True, text=True)
        sums: dict[str, float] = {}
        for line in done.stderr.splitlines():
            if line.startswith("import time:") and "self [us]" not in line:
                own, _, name = line[len("import time:"):].split("|")
                top = name.strip().split(".")[0]
                sums[top] = sums.get(top, 0.0) + int(own) / 1e6
        for top, seconds in sums.items():
            totals.setdefault(top, []).append(seconds)
    print(json.dumps({k: statistics.median(v + [0.0] * (5 - len(v))) for k, v in totals.items()}))


# a build as `perfreport build WORKBOOK -o REPORT` runs it, then the modules it imported, in their order
MODULES = """import sys, runpy
sys.argv = ["perfreport", "build", sys.argv[1], "-o", sys.argv[2]]
try:
    runpy.run_module("perfreport", run_name="__main__")
except SystemExit as exc:
    if exc.code:
        raise
names = [name for name in sys.modules if name not in ("__main__", "perfreport.__main__")]
import json
print(json.dumps(names))
"""


def imports_alone(tree: Tree, workbook: Path) -> Path:
    """A script that imports what a build of `workbook` imports, as a build does, and does nothing else."""
    script = tree.work / "imports_alone.py"
    for _ in range(2):  # the first build prepares the template (docxtpl), as the series' warm-up runs do
        done = subprocess.run([PYTHON, "-c", MODULES, workbook, tree.work / "modules.docx"], env=tree.env,
                              capture_output=True, text=True, check=True)
        (tree.work / "modules.docx").unlink()
    names = json.loads(done.stdout.strip().splitlines()[-1])
    script.write_text("from perfreport.warmstart import install\ninstall()\nimport importlib\n"
                      f"for name in {names!r}:\n    importlib.import_module(name)\n", encoding="utf-8")
    return script


HELPERS = {"_stages": _stages, "_imports": _imports}

# (label, file the function is in, function): the steps of a build, cumulative time of each in the profile
STEPS = (
    ("imports", "<frozen importlib._bootstrap>", "_find_and_load"),
    ("load", "perfreport/load.py", "load"), ("validate", "perfreport/validate.py", "validate"),
    ("crosscheck", "perfreport/crosscheck.py", "crosscheck"), ("score", "perfreport/score.py", "score"),
    ("compose", "perfreport/compose/__init__.py", "compose"), ("render", "perfreport/render.py", "render"),
    ("  prepared template (read, or prepare)", "perfreport/prepare.py", "load"),
    ("  jinja2 renders the body", "perfreport/render.py", "_segments"),
    ("  listing (\\n, \\t in text)", "perfreport/bodyxml.py", "resolve_listing"),
    ("  numbering: read", "perfreport/numbering.py", "add"),
    ("  numbering: write", "perfreport/numbering.py", "write"),
    ("  as lxml writes it (canonical)", "perfreport/bodyxml.py", "canonical"),
    ("  tables (merge:, drop:)", "perfreport/tables.py", "feed"),
    ("  keys and their store (keystream)", "perfreport/keystream.py", "feed"),
    ("  East Asian hint", "perfreport/typeset.py", "mark_east_asian"),
    ("  word counts", "perfreport/docprops.py", "counts"),
    ("  well-formedness (expat)", "perfreport/bodyxml.py", "feed"),
    ("  deflate the document", "perfreport/opc.py", "feed"),
    ("  headers and footers", "perfreport/render.py", "other_parts"),
    ("  zip", "perfreport/opc.py", "write_zip"),
    ("write (atomically)", "perfreport/output.py", "write_atomically"),
)


def profile(tree: Tree, workbook: Path, unlimited: bool = False) -> dict:
    """cProfile a whole-process build; return the total and each step's cumulative seconds."""
    import pstats
    out, prof = tree.work / "profiled.docx", tree.work / "build.prof"
    out.unlink(missing_ok=True)
    script = [str(HERE / "unlimited.py")] if unlimited else ["-m", "perfreport"]
    timed([PYTHON, "-m", "cProfile", "-o", prof, *script, "build", workbook, "-o", out], tree.env)
    stats = pstats.Stats(str(prof)).stats
    steps = {}
    for label, suffix, name in STEPS:
        found = [ct for (file, _, function), (_, _, _, ct, _) in stats.items()
                 if function == name and file.replace("\\", "/").endswith(suffix)]
        steps[label] = max(found) if found else None
    return {"total": max(ct for (_, _, _, ct, _) in stats.values()), "steps": steps}


# ---- workbooks -------------------------------------------------------------------------------------
def synthetic(factor: int, path: Path) -> dict:
    """Write the sample with `factor` times its 复评项目, 问卷 questions, 目标对比 and 固定资产 rows."""
    import copy
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "sample_workbooks" / "make_sample.py")
    sample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sample)
    data = copy.deepcopy(sample.DATA)

    def repeated(rows, number=None):
        return [dict(row, **({number: row[number] + k * len(rows)} if number and row.get(number) is not None else {}))
                for k in range(factor) for row in rows]
    data["复评项目"], data["固定资产"] = repeated(data["复评项目"], "序号"), repeated(data["固定资产"], "序号")
    data["目标对比"] = repeated(data["目标对比"])
    questions: list[list[dict]] = []
    for row in data["问卷"]:
        if row.get("题号") is not None and (not questions or row["题号"] != questions[-1][0]["题号"]):
            questions.append([row])
        else:
            questions[-1].append(row)
    order = {"基本问题": 0, "满意度问题": 1, "开放问题": 2}  # copies after the sample's own, grouped by type
    copies = sorted((q for _ in range(factor - 1) for q in questions), key=lambda q: order[q[0]["类型"]])
    rows, number = [dict(r) for q in questions for r in q], len(questions)
    for question in copies:
        number += 1
        rows += [dict(row, **({"题号": number} if row.get("题号") is not None else {})) for row in question]
    data["问卷"] = rows
    sample.DATA = data
    sample.write(path)
    return {name: len(data[name]) for name in ("复评项目", "问卷", "目标对比", "固定资产")} | {"questions": number}


# ---- the benchmark -----------------------------------------------------------------------------------
def measure(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="perfreport-bench-"))
    tree = Tree(args.tree.resolve(), work)
    sys.path.insert(0, str(tree.root))  # the sample's writer reads perfreport's contract
    m = {"started": datetime.datetime.now().isoformat(timespec="seconds"), "load_before": os.getloadavg(),
         "batch_size": args.batch,
         "cpus": os.cpu_count(), "cpu": _cpu(), "python": platform.python_version(), "tree": str(tree.root),
         "versions": _versions(), "runs": args.runs}
    sample, out = work / "sample.xlsx", work / "sample.docx"
    shutil.copy(SAMPLE, sample)
    print("sample and floors …", file=sys.stderr)
    m["sample"] = taking_turns(args.runs, {
        "interpreter": ([PYTHON, "-c", "pass"], tree.env, None),
        "floor": ([PYTHON, "-c", FLOOR], tree.env, None),
        "bare floor": ([PYTHON, "-c", BARE_FLOOR], tree.env, None),
        "a build's imports alone": ([PYTHON, imports_alone(tree, sample)], tree.env, None),
        "build": (tree.perfreport("build", sample, "-o", out), tree.env, out),
        "check": (tree.perfreport("check", sample), tree.env, None),
        "build, template prepared each run": (tree.perfreport("build", sample, "-o", out),
                                              tree.env | {"PERFREPORT_CACHE": "off"}, out)})
    print("stages, profile, imports …", file=sys.stderr)
    m["stages"] = {1: tree.helper("_stages", sample, args.runs, 0)}
    m["profile"] = {1: profile(tree, sample)}
    out.unlink(missing_ok=True)
    m["imports"] = {"build": tree.helper("_imports", "-m", "perfreport", "build", sample, "-o", work / "i.docx"),
                    "floor": tree.helper("_imports", "-c", FLOOR), "bare floor": tree.helper("_imports", "-c", BARE_FLOOR)}
    m["scale"] = {}
    for factor in (10, 100) if args.quick else (10, 100, 1000):
        print(f"{factor}x …", file=sys.stderr)
        path, target = work / f"x{factor}.xlsx", work / f"x{factor}.docx"
        rows = synthetic(factor, path)
        big = factor >= 1000
        runs = args.runs if factor <= 10 else max(3, args.runs // 3)
        m["scale"][factor] = {"rows": rows, "bytes": path.stat().st_size, "unlimited": big,
                              **taking_turns(runs, {"build": (tree.perfreport("build", path, "-o", target,
                                                                             unlimited=big), tree.env, target)})}
        m["stages"][factor] = tree.helper("_stages", path, 1, int(big))
        if factor >= 100:
            m["profile"][factor] = profile(tree, path, unlimited=big)
        if big:  # what a user gets, and how long `check` of such a workbook takes with the limits lifted
            target.unlink(missing_ok=True)
            refused = timed(tree.perfreport("build", path, "-o", target), tree.env, expect=1)
            checked = timed(tree.perfreport("check", path, unlimited=True), tree.env)
            m["scale"][factor] |= {"refused": refused, "check_unlimited": checked}
    print("batch …", file=sys.stderr)
    folder = work / "batch"
    folder.mkdir()
    books = [shutil.copy(SAMPLE, folder / f"w{n:02d}.xlsx") for n in range(args.batch)]
    reports = work / "reports"

    def batch(jobs: int) -> tuple[list, dict, Path | None]:
        return (tree.perfreport("build", *books, "-o", reports, "--jobs", jobs), tree.env, reports)
    m["batch"] = taking_turns(args.batch_runs, {"--jobs 1": batch(1), "--jobs 2": batch(2)})
    m["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    m["load_after"] = os.getloadavg()
    shutil.rmtree(work, ignore_errors=True)
    return m


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version
    found = {}
    for name in ("jinja2", "click", "markupsafe", "docxtpl", "python-docx", "lxml", "openpyxl", "pillow"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


# ---- the report ----------------------------------------------------------------------------------------
def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.0f} ms"


def sec(seconds: float) -> str:
    return f"{seconds:.2f} s"


def verdict(ok: bool) -> str:
    return "✅ met" if ok else "❌ not met"


def report(m: dict) -> str:
    s, scale, batch = m["sample"], {int(k): v for k, v in m["scale"].items()}, m["batch"]
    ratio = s["build"]["wall"] / s["floor"]["wall"]
    check_ratio = s["check"]["wall"] / s["floor"]["wall"]
    speedup = batch["--jobs 1"]["wall"] / batch["--jobs 2"]["wall"]
    lines = ["# perfreport benchmark results", "",
             f"Measured by `benchmarks/bench.py` from {m['started']} to {m['finished']}, on the tree `{m['tree']}`. "
             "Re-run it by hand to refresh this file; nothing here is estimated.", "",
             f"- Machine: {m['cpus']} CPUs ({m['cpu']}), Python {m['python']}; load average "
             f"{m['load_before'][0]:.2f} before, {m['load_after'][0]:.2f} after. Other helpers' work shares the "
             "machine: each table's *others* column is how many CPUs other processes kept busy during the runs "
             "(median); wall times grow with it, CPU times much less.",
             "- Packages: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
             f"- Whole processes, bytecode cached, templates prepared by the warm-up run; medians of "
             f"{len(s['build']['runs'])} runs taken in turns (one of each series, then again).", "",
             "## Targets", "", "| target | measured | |", "|---|---|---|",
             f"| sample build ≤ {TARGETS['floor_ratio']}× the floor `python -c '{FLOOR}'` (median wall) | "
             f"{ratio:.2f}× ({sec(s['build']['wall'])} / {sec(s['floor']['wall'])}) | "
             f"{verdict(ratio <= TARGETS['floor_ratio'])} |",
             f"| `check` ≤ {TARGETS['floor_ratio']}× the same floor | {check_ratio:.2f}× | "
             f"{verdict(check_ratio <= TARGETS['floor_ratio'])} |"]
    if 100 in scale:
        x100 = scale[100]["build"]
        lines += [f"| 100× rows ≤ {TARGETS['x100_s']} s | {sec(x100['wall'])} | {verdict(x100['wall'] <= TARGETS['x100_s'])} |",
                  f"| 100× rows ≤ {TARGETS['x100_mb']} MiB | {x100['mb']:.0f} MiB | "
                  f"{verdict(x100['mb'] <= TARGETS['x100_mb'])} |"]
    if 1000 in scale:
        x1000, growth = scale[1000]["build"], scale[1000]["build"]["wall"] / scale[100]["build"]["wall"]
        lines += [f"| 1000× rows ≤ {TARGETS['x1000_s']:.0f} s (reader's limits lifted) | {sec(x1000['wall'])} | "
                  f"{verdict(x1000['wall'] <= TARGETS['x1000_s'])} |",
                  f"| 1000× rows ≤ {TARGETS['x1000_mb']} MiB | {x1000['mb']:.0f} MiB | "
                  f"{verdict(x1000['mb'] <= TARGETS['x1000_mb'])} |",
                  f"| growth 100× → 1000× ≤ {TARGETS['growth']:.0f}× | {growth:.1f}× | "
                  f"{verdict(growth <= TARGETS['growth'])} |"]
    lines += [f"| `--jobs 2` ≥ {TARGETS['jobs']}× the throughput of `--jobs 1` ({m['batch_size']} workbooks) | "
              f"{speedup:.2f}× | "
              f"{verdict(speedup >= TARGETS['jobs'])} |", ""]
    lines += _budget(s) + _sample_section(m) + _profile_section(m) + _scale_section(m, scale) + _batch_section(m, speedup)
    return "\n".join(lines + [NOTES.strip(), ""])


def _budget(s: dict) -> list[str]:
    """What the sample target leaves a build for its work, once it has imported what it needs."""
    if "a build's imports alone" not in s:  # measured before this series was added
        return []
    floor, imports, build = s["floor"]["wall"], s["a build's imports alone"]["wall"], s["build"]["wall"]
    allowed, bare = TARGETS["floor_ratio"] * floor, s["bare floor"]["wall"]
    return [f"The sample target allows a build {sec(allowed)}. Importing what a build imports, and doing nothing "
            f"else, takes {sec(imports)} ({imports / floor:.2f}× the floor), which leaves {ms(allowed - imports)} "
            f"for the build's work; its work (the build less its imports alone) takes {ms(build - imports)}. Were "
            f"perfreport's own modules free to import (the bare floor, {sec(bare)}), {ms(allowed - bare)} would be "
            "left.", ""]


def _sample_section(m: dict) -> list[str]:
    s = m["sample"]
    lines = ["## 1. The sample against the floors", "",
             f"The floor is what any report generator on this stack pays before it does anything: starting Python "
             f"and importing the libraries reports are made with, `python -c '{FLOOR}'` (the issue's floor; "
             "python_calamine, in it then, is no longer a dependency). A build whose template is prepared imports "
             f"neither python-docx nor docxtpl; the bare floor of what it does import is `python -c '{BARE_FLOOR}'`.",
             "", "| | median | min | max | CPU | ÷ floor (wall) | ÷ floor (CPU) | peak | others |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, v in s.items():
        lines.append(f"| {name} | {sec(v['wall'])} | {sec(min(v['runs']))} | {sec(max(v['runs']))} | "
                     f"{sec(v['cpu'])} | {v['wall'] / s['floor']['wall']:.2f} | {v['cpu'] / s['floor']['cpu']:.2f} | "
                     f"{v['mb']:.0f} MiB | {v['others']:.2f} |")
    bare = s["build"]["wall"] / s["bare floor"]["wall"]
    lines += ["", f"Against the bare floor the build is {bare:.2f}× (wall), `check` "
                  f"{s['check']['wall'] / s['bare floor']['wall']:.2f}×: what perfreport adds to it is its own "
                  "modules (table 3), reading and checking the workbook and rendering (table 2).", ""]
    st = m["stages"]["1"] if "1" in m["stages"] else m["stages"][1]
    lines += ["## 2. Stages of the sample, in one process", "",
              f"Imports {ms(st['import'])} (perfreport and its libraries, in a fresh interpreter). First build, "
              "then the median of the others:", "", "| stage | first | median |", "|---|---|---|"]
    lines += [f"| {name} | {ms(a)} | {ms(b)} |" for name, a, b in zip(STAGES, st["first"], st["median"])]
    lines += [f"| **total** | {ms(sum(st['first']))} | {ms(sum(st['median']))} |", ""]
    return lines


def _profile_section(m: dict) -> list[str]:
    profiles = {int(k): v for k, v in m["profile"].items()}
    lines = ["## 3. Where a build's time goes", "",
             "cProfile of whole-process builds (it slows Python code down: read the shares). A step's time includes "
             "the steps under it.", "", "| step | " + " | ".join(f"{f}×" for f in profiles) + " |",
             "|---|" + "---|" * len(profiles)]
    for label, _, _ in STEPS:
        cells = []
        for p in profiles.values():
            v = p["steps"].get(label)
            cells.append("—" if v is None else f"{ms(v)} ({v / p['total']:.0%})")
        lines.append(f"| {label.strip() if not label.startswith('  ') else '&nbsp;&nbsp;' + label.strip()} | "
                     + " | ".join(cells) + " |")
    lines.append("| **whole process** | " + " | ".join(ms(p["total"]) for p in profiles.values()) + " |")
    imports = m["imports"]
    build = imports["build"]
    beyond = {k: v for k, v in build.items() if k not in imports["floor"] and k not in imports["bare floor"]}
    lines += ["", "Imports of `perfreport build` by top-level package (own time, `python -X importtime`, median of 5): "
                  f"{ms(sum(build.values()))} in all; the floor's {ms(sum(imports['floor'].values()))}, the bare "
                  f"floor's {ms(sum(imports['bare floor'].values()))}.", "",
              "| package | own import time | in the floor |", "|---|---|---|"]
    for name, seconds in sorted(build.items(), key=lambda kv: -kv[1])[:12]:
        lines.append(f"| {name} | {ms(seconds)} | {'yes' if name in imports['floor'] else 'no'} |")
    lines += [f"| everything else ({len(build) - 12} packages) | {ms(sum(sorted(build.values())[:-12]))} | |",
              "", f"Beyond the floor the build imports {len(beyond)} packages, {ms(sum(beyond.values()))} "
                  "(perfreport's own modules among them).", ""]
    return lines


def _scale_section(m: dict, scale: dict) -> list[str]:
    s = m["sample"]["build"]
    lines = ["## 4. 10×, 100× and 1000× the rows", "",
             "The sample written with its own writer (`sample_workbooks/make_sample.py`) with 复评项目, 问卷 "
             "questions, 目标对比 and 固定资产 repeated; the report is built in full.", "",
             "| workbook | rows 复评/问卷/目标对比/固定资产 | file | median | runs | CPU | peak | others |",
             "|---|---|---|---|---|---|---|---|",
             f"| sample | 6/57/20/15 | {SAMPLE.stat().st_size / 1024:.0f} KB | {sec(s['wall'])} | | {sec(s['cpu'])} | "
             f"{s['mb']:.0f} MiB | {s['others']:.2f} |"]
    for factor, v in scale.items():
        r, b = v["rows"], v["build"]
        lines.append(f"| {factor}×{' (limits lifted)' if v['unlimited'] else ''} | {r['复评项目']}/{r['问卷']}/"
                     f"{r['目标对比']}/{r['固定资产']} | {v['bytes'] / 2**20:.1f} MB | {sec(b['wall'])} | "
                     f"{', '.join(f'{x:.2f}' for x in b['runs'])} | {sec(b['cpu'])} | {b['mb']:.0f} MiB | "
                     f"{b['others']:.2f} |")
    stages = {int(k): v for k, v in m["stages"].items()}
    lines += ["", "Per stage, one process (the sample: median; the others: one build):", "",
              "| stage | " + " | ".join("sample" if f == 1 else f"{f}×" for f in stages) + " |",
              "|---|" + "---|" * len(stages)]
    for i, name in enumerate(STAGES):
        lines.append(f"| {name} | " + " | ".join(ms(v["median"][i]) for v in stages.values()) + " |")
    if 1000 in scale:
        big = scale[1000]
        growth = big["build"]["wall"] / scale[100]["build"]["wall"]
        lines += ["", f"Growth: 1000× takes {growth:.1f}× the time of 100× for 10× the rows "
                      f"({big['build']['cpu'] / scale[100]['build']['cpu']:.1f}× the CPU), "
                      f"{big['build']['mb'] / scale[100]['build']['mb']:.1f}× the memory.", "",
                  f"**The 1000× workbook is over the reader's limits** (perfreport/xlsx.py, sheetxml.py: 100,000 "
                  "cells with a value, 500,000 XML elements, 64 MB unpacked; it has some "
                  f"{big['rows']['问卷'] * 9 + big['rows']['目标对比'] * 16:,} cells): `perfreport build` refuses it "
                  f"in {sec(big['refused']['wall'])} (exit 1, `unpacked-too-large`). The rows above build it through "
                  "`benchmarks/unlimited.py`, which lifts the limits in its own process, to measure everything after "
                  f"the reader. With the limits lifted, `check` of it takes {sec(big['check_unlimited']['wall'])} and "
                  f"{big['check_unlimited']['mb']:.0f} MiB: limits admitting it could not keep issue 9's promise "
                  "(any file within the limits checked in ≤ 2 s and ≤ 250 MB), so they stay.", ""]
    return lines


def _batch_section(m: dict, speedup: float) -> list[str]:
    b = m["batch"]
    lines = ["## 5. A batch of 20 workbooks", "",
             f"`perfreport build w00.xlsx … w{m['batch_size'] - 1:02d}.xlsx -o DIR --jobs N` (copies of the sample, "
             "DIR emptied before each run), taking turns.", "",
             "| | median | runs | workbooks/s | CPU | others |", "|---|---|---|---|---|---|"]
    for name, v in b.items():
        lines.append(f"| `{name}` | {sec(v['wall'])} | {', '.join(f'{x:.2f}' for x in v['runs'])} | "
                     f"{m['batch_size'] / v['wall']:.1f} | {sec(v['cpu'])} | {v['others']:.2f} |")
    return lines + ["", f"Speed-up {speedup:.2f}× on {m['cpus']} CPUs.", ""]


NOTES = """
## Method notes

- Every command runs the working tree (`PYTHONPATH`) with the interpreter running the benchmark; `perfreport X` is
  `python -m perfreport X`. Wall time is `time.perf_counter` around the child, CPU and peak memory are the child's
  (`os.wait4`). *Others* is the CPU other processes used during the run (from /proc/stat), in CPUs.
- The machine is shared (other helpers' builds and tests): compare figures within one run. Series measured taking
  turns share the disturbance, so their ratios hold better than their absolute times; CPU times move less than
  wall times.
- The stages (table 2) call load, validate, crosscheck, score (and the stale-number check), compose, render and the
  atomic write in one interpreter with `time.perf_counter`.
"""


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in HELPERS:
        HELPERS[argv[0]](*argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each sample series (taking turns)")
    parser.add_argument("--batch", type=int, default=20, help="workbooks in the batch")
    parser.add_argument("--batch-runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 runs, no 1000x, batch of 6 run once")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the source tree to measure (default: this one)")
    parser.add_argument("--output", default=str(RESULTS), help="where to write the report ('-' prints it)")
    parser.add_argument("--json", help="also write the measurements to this file")
    parser.add_argument("--from-json", help="write the report from measurements saved with --json")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.batch, args.batch_runs = 3, 6, 1
    m = json.loads(Path(args.from_json).read_text(encoding="utf-8")) if args.from_json else measure(args)
    if args.json:
        Path(args.json).write_text(json.dumps(m, ensure_ascii=False, indent=1), encoding="utf-8")
    text = report(json.loads(json.dumps(m)))  # the same keys whether measured now or read back
    if args.output == "-":
        print(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
