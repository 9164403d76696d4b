"""Benchmark perfreport and write benchmarks/RESULTS.md (run by hand, not in CI).

    .venv/bin/python benchmarks/bench.py                # full run, a few minutes
    .venv/bin/python benchmarks/bench.py --quick        # fewer runs, no 100x, to try it out
    .venv/bin/python benchmarks/bench.py --output -     # print the report instead of writing it

What it measures (every figure is measured in this run, nothing is assumed):

1. whole process: `perfreport build` of the sample workbook, median of N runs;
2. per stage, in one process: import, load, validate, score, compose, render, save;
3. the floor: a process that only imports docxtpl/jinja2, renders the same
   template with the context compose produced for the sample, and saves it
   (benchmarks/floor.py); the build's ratio to it;
4. a profile (cProfile) of one whole-process sample build, grouped by step;
5. synthetic workbooks with 10x and 100x the sample's rows (复评项目, 问卷
   questions, 目标对比 and 固定资产 rows), written with the sample's own writer:
   whole-process time and peak memory, and per stage;
6. a batch of 20 workbooks with --jobs 1 and --jobs 2;
7. Excel readers on the same workbooks: the current loader (openpyxl), openpyxl
   read-only, python-calamine, pandas with the calamine and openpyxl engines,
   and what importing each costs.

Subprocesses run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed, the
cache kept in a temporary PYTHONPYCACHEPREFIX), as on a user's installation; the
cost without a cache is measured once for comparison. Peak memory is the
child's maximum resident set size (os.wait4).
"""
from __future__ import annotations

import argparse
import copy
import datetime
import importlib.util
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
BIN = Path(sys.executable).parent
PERFREPORT = BIN / "perfreport"
PYTHON = sys.executable
STAGES = ("load", "validate", "score", "compose", "render", "save")
# `perfreport build` in an environment without numpy: perfreport does not depend on it, but
# openpyxl imports it when it is installed (here it comes with pandas).
NO_NUMPY = ("import sys; sys.modules['numpy'] = None; sys.argv[0] = 'perfreport'; "
            "from perfreport.cli import main; main()")
TARGETS = {"sample_s": 1.0, "floor_ratio": 1.3, "x100_s": 10.0, "x100_mb": 500, "batch_speedup": 1.7}


# ---------------------------------------------------------------------------
# running and timing processes
# ---------------------------------------------------------------------------
class Env:
    """The environment for measured subprocesses."""

    def __init__(self, work: Path):
        self.cached = dict(os.environ)
        self.cached.pop("PYTHONDONTWRITEBYTECODE", None)
        self.cached["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        self.cached["PERFREPORT_CACHE"] = str(work / "template-cache")  # filled by each series' warm-up run
        self.uncached = dict(os.environ)
        self.uncached["PYTHONDONTWRITEBYTECODE"] = "1"
        self.uncached.pop("PYTHONPYCACHEPREFIX", None)
        self.uncached["PERFREPORT_CACHE"] = str(work / "template-cache")
        self.no_template_cache = dict(self.cached, PERFREPORT_CACHE="off")


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def busy_seconds() -> float:
    """Return the CPU seconds all processes of the machine have used so far (0 where unknown)."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    return (sum(values) - values[3] - values[4]) / TICK  # all but idle and iowait


def wait_quiet(limit: float = 0.25, longest: float = 20.0) -> None:
    """Wait (up to `longest` seconds) until other processes use less than `limit` CPUs."""
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        before = busy_seconds()
        time.sleep(1.0)
        if busy_seconds() - before < limit:
            return


def timed(cmd: list, env: dict, cwd: Path | None = None, check: bool = True) -> tuple[float, float, float, float]:
    """Run `cmd` on a quiet machine; return (wall seconds, peak RSS MB, CPU seconds, others' CPUs).

    The last is how many CPUs other processes kept busy meanwhile, on average:
    the contention this run suffered.
    """
    wait_quiet()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy = busy_seconds()
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], env=env, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        own = usage.ru_utime + usage.ru_stime
        others = max(0.0, busy_seconds() - busy - own) / seconds
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if check and code not in (0,):
            err.seek(0)
            out.seek(0)
            raise RuntimeError(f"{cmd} exited {code}:\n{out.read().decode()[-2000:]}\n{err.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, own, others


MAX_OTHER = 0.3  # a run during which other processes used more CPUs than this is run again
RETRIES = 2


def interleaved(runs: int, series: dict[str, tuple], **kw) -> dict[str, dict]:
    """Run each series' command `runs` times, taking turns, after one unmeasured warm-up each.

    `series` maps a name to (cmd, env, before); taking turns spreads any other
    load on the machine evenly over the series, so their ratios stay fair. A
    run disturbed by other processes (more than MAX_OTHER CPUs) is repeated,
    up to RETRIES times; the least disturbed attempt is kept.
    """
    measured: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in series}
    repeated = dict.fromkeys(series, 0)
    for attempt in range(runs + 1):
        for name, (cmd, env, before) in series.items():
            tries = []
            for _ in range(RETRIES + 1 if attempt else 1):
                if before:
                    before()
                tries.append(timed(cmd, env, **kw))
                if tries[-1][3] <= MAX_OTHER:
                    break
            repeated[name] += len(tries) - 1
            if attempt:
                measured[name].append(min(tries, key=lambda t: t[3]))
    return {name: summary(values) | {"repeated": repeated[name]} for name, values in measured.items()}


def summary(values: list[tuple[float, float, float, float]]) -> dict:
    seconds = [v[0] for v in values]
    return {"runs": seconds, "median": statistics.median(seconds), "min": min(seconds), "max": max(seconds),
            "peak_mb": max(v[1] for v in values), "cpu": statistics.median(v[2] for v in values),
            "others": max(v[3] for v in values)}


def repeat(runs: int, cmd: list, env: dict, before=None, **kw) -> dict:
    """Run `cmd` `runs` times (after one unmeasured warm-up); return the timings."""
    return interleaved(runs, {"": (cmd, env, before)}, **kw)[""]


def python_json(args: list, env: dict) -> dict:
    """Run this script's helper `args` in a fresh interpreter and return the JSON it prints."""
    run = subprocess.run([PYTHON, __file__, *map(str, args)], env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"helper {args} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# helpers run in their own interpreter (python bench.py _name …)
# ---------------------------------------------------------------------------
def _helper_stages(workbook: str, runs: str, context_out: str = "") -> None:
    """Time each stage in one process; print JSON. Optionally pickle the final context."""
    start = time.perf_counter()
    from perfreport.compose import compose
    from perfreport.load import load
    from perfreport.pipeline import write_atomically
    from perfreport.score import score
    from perfreport.validate import validate
    imported = time.perf_counter()
    from perfreport.render import render
    imported_render = time.perf_counter()

    path = Path(workbook)
    out = Path(tempfile.mkdtemp()) / "stage.docx"
    rows = []
    for _ in range(int(runs)):
        t = [time.perf_counter()]
        book, _ = load(path)
        t.append(time.perf_counter())
        checked, _ = validate(book)
        t.append(time.perf_counter())
        scores, _ = score(checked)
        t.append(time.perf_counter())
        context, problems = compose(checked, scores)
        t.append(time.perf_counter())
        rendered = render(context)
        t.append(time.perf_counter())
        write_atomically(getattr(rendered, "data", rendered), out, True)
        t.append(time.perf_counter())
        rows.append([b - a for a, b in zip(t, t[1:])])
    if context_out:
        import pickle
        with open(context_out, "wb") as handle:
            pickle.dump(context, handle)
    print(json.dumps({"import_pipeline": imported - start, "import_render": imported_render - imported,
                      "runs": rows}))


def _helper_readers(workbook: str, runs: str) -> None:
    """Time reading every sheet's cell values with each reader; print JSON."""
    import warnings
    warnings.simplefilter("ignore")
    import openpyxl
    from perfreport.load import load

    path = Path(workbook)
    names = None

    def current():
        load(path)

    def openpyxl_values(read_only: bool):
        def run():
            book = openpyxl.load_workbook(path, data_only=True, read_only=read_only)
            for ws in book.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        cell.value, cell.number_format
            if read_only:
                book.close()
        return run

    readers = {"perfreport.load (the whole load stage as it is)": current,
               "openpyxl, values + number formats": openpyxl_values(False),
               "openpyxl read_only, values + number formats": openpyxl_values(True)}
    try:
        from python_calamine import CalamineWorkbook

        def calamine():
            book = CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
        readers["python-calamine, values"] = calamine
    except ImportError:
        pass
    try:
        import pandas

        def pandas_engine(engine):
            return lambda: pandas.read_excel(path, sheet_name=names, header=None, engine=engine)
        readers["pandas + calamine engine"] = pandas_engine("calamine")
        readers["pandas + openpyxl engine"] = pandas_engine("openpyxl")
    except ImportError:
        pass
    result = {}
    for name, run in readers.items():
        try:
            run()  # warm-up
            seconds = []
            for _ in range(int(runs)):
                start = time.perf_counter()
                run()
                seconds.append(time.perf_counter() - start)
            result[name] = statistics.median(seconds)
        except Exception as exc:  # a reader that cannot read it at all is a finding too
            result[name] = f"{type(exc).__name__}: {exc}"[:120]
    print(json.dumps(result, ensure_ascii=False))


def _helper_import(statement: str) -> None:
    start = time.perf_counter()
    exec(statement, {})
    seconds = time.perf_counter() - start
    loaded = {name: name in sys.modules for name in ("openpyxl", "numpy", "python_calamine", "pandas")}
    print(json.dumps({"seconds": seconds, "loaded": loaded}))


HELPERS = {"_stages": _helper_stages, "_readers": _helper_readers, "_import": _helper_import}


# ---------------------------------------------------------------------------
# synthetic workbooks
# ---------------------------------------------------------------------------
def _make_sample_module():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "sample_workbooks" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic(factor: int, path: Path) -> dict:
    """Write the sample with `factor` times its 复评项目, 问卷, 目标对比 and 固定资产 rows.

    Copies of questions are numbered on from the sample's and grouped by type
    after the sample's own (so the survey keeps a few sections, as a real one);
    everything else is repeated as is. Returns the row counts.
    """
    sample = _make_sample_module()
    data = copy.deepcopy(sample.DATA)

    def repeat_rows(rows, number=None):
        out = []
        for k in range(factor):
            for row in rows:
                row = dict(row)
                if number and row.get(number) is not None:
                    row[number] += k * len(rows)
                out.append(row)
        return out

    data["复评项目"] = repeat_rows(data["复评项目"], "序号")
    data["固定资产"] = repeat_rows(data["固定资产"], "序号")
    data["目标对比"] = repeat_rows(data["目标对比"])
    questions: list[list[dict]] = []
    for row in data["问卷"]:
        if row.get("题号") is not None and (not questions or row["题号"] != questions[-1][0]["题号"]):
            questions.append([row])
        else:
            questions[-1].append(row)
    order = {"基本问题": 0, "满意度问题": 1, "开放问题": 2}
    copies = sorted((q for _ in range(factor - 1) for q in questions), key=lambda q: order[q[0]["类型"]])
    rows = [dict(r) for q in questions for r in q]
    number = len(questions)
    for question in copies:
        number += 1
        for row in question:
            row = dict(row)
            if row.get("题号") is not None:
                row["题号"] = number
            rows.append(row)
    data["问卷"] = rows
    sample.DATA = data
    sample.write(path)
    return {name: len(data[name]) for name in ("复评项目", "问卷", "目标对比", "固定资产")} | {"问卷题数": number}


# ---------------------------------------------------------------------------
# the profile
# ---------------------------------------------------------------------------
def import_tree(env: dict) -> dict[str, float]:
    """Return seconds spent importing each top-level package for `perfreport build` (-X importtime)."""
    statement = "import perfreport.cli, perfreport.render"
    subprocess.run([PYTHON, "-c", statement], env=env, check=True)  # warm the bytecode cache
    totals: dict[str, list[float]] = {}
    for _ in range(3):
        run = subprocess.run([PYTHON, "-X", "importtime", "-c", statement], env=env, capture_output=True, text=True)
        sums: dict[str, float] = {}
        for line in run.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, _, name = line[len("import time:"):].split("|")
            top = name.strip().split(".")[0]
            sums[top] = sums.get(top, 0.0) + int(own) / 1e6
        for top, seconds in sums.items():
            totals.setdefault(top, []).append(seconds)
    return dict(sorted(((k, statistics.median(v)) for k, v in totals.items()), key=lambda kv: -kv[1]))


BUCKETS = (  # (label, file suffix, function names): cumulative time of the first found
    ("all imports", "<frozen importlib._bootstrap>", "_find_and_load"),
    ("load (perfreport.load.load)", "perfreport/load.py", "load"),
    ("  openpyxl.load_workbook", "openpyxl/reader/excel.py", "load_workbook"),
    ("  python-calamine (read the cell values)", "~", "CalamineWorkbook|CalamineSheet|from_path|from_filelike"),
    ("  zip/XML pre-scan (perfreport.xlsx)", "perfreport/xlsx.py", "_scan_sheets|formulas_without_values"),
    ("validate", "perfreport/validate.py", "validate"),
    ("score", "perfreport/score.py", "score"),
    ("compose", "perfreport/compose/__init__.py", "compose"),
    ("render (perfreport.render.render)", "perfreport/render.py", "render"),
    ("  open the template (docx.Document)", "docxtpl/template.py", "init_docx"),
    ("  docxtpl render", "docxtpl/template.py", "render"),
    ("    patch_xml (docxtpl's regex pre-pass)", "docxtpl/template.py", "patch_xml"),
    ("    jinja2 compile of the template XML", "jinja2/environment.py", "compile"),
    ("    jinja2 render", "jinja2/environment.py", "render"),
    ("    resolve_listing (line breaks, tabs)", "docxtpl/template.py", "resolve_listing"),
    ("    map_tree", "docxtpl/template.py", "map_tree"),
    ("    numbering pass (numbers, 目录, 附件 list: perfreport.numbering)", "perfreport/numbering.py", "resolve"),
    ("    strict XML parse (render._Template.fix_tables)", "perfreport/render.py", "fix_tables"),
    ("  table_passes (merges, empty columns)", "perfreport/render.py", "table_passes"),
    ("  document.save", "docx/document.py", "save"),
    ("  _reproducible (zip rewrite)", "perfreport/render.py", "_reproducible"),
    ("save (pipeline.write_atomically)", "perfreport/pipeline.py", "write_atomically"),
)


LEAVES = {  # BUCKETS that contain no other bucket
    "openpyxl.load_workbook", "python-calamine (read the cell values)", "zip/XML pre-scan (perfreport.xlsx)", "validate", "score", "compose",
    "open the template (docx.Document)", "patch_xml (docxtpl's regex pre-pass)",
    "jinja2 compile of the template XML", "jinja2 render", "resolve_listing (line breaks, tabs)", "map_tree",
    "numbering pass (numbers, 目录, 附件 list: perfreport.numbering)", "strict XML parse (render._Template.fix_tables)",
    "table_passes (merges, empty columns)", "document.save",
    "_reproducible (zip rewrite)", "save (pipeline.write_atomically)",
}


def profile_buckets(path: Path) -> tuple[float, list[tuple[str, float | None]], list[tuple[str, float, float]]]:
    import pstats
    stats = pstats.Stats(str(path)).stats
    total = max(ct for (_, _, _, ct, _) in stats.values())
    found = []
    for label, suffix, functions in BUCKETS:
        if suffix == "~":  # built-in methods: sum those of the named extension classes
            values = [sum(ct for (file, _, name), (_, _, _, ct, _) in stats.items()
                          if file == "~" and any(f in name for f in functions.split("|")))] or [0.0]
            found.append((label, values[0] or None))
            continue
        values = [ct for (file, _, name), (_, _, _, ct, _) in stats.items()
                  if name in functions.split("|") and file.replace("\\", "/").endswith(suffix)]
        found.append((label, max(values) if values else None))

    def where(file, line, name):
        return name if file == "~" else f"{Path(file).parent.name}/{Path(file).name}:{line}({name})"
    own = sorted(((where(*key), tt, ct) for key, (_, _, tt, ct, _) in stats.items()), key=lambda r: -r[1])[:15]
    return total, found, own


# ---------------------------------------------------------------------------
# the benchmark
# ---------------------------------------------------------------------------
def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version
    found = {}
    for name in ("perfreport", "openpyxl", "docxtpl", "python-docx", "jinja2", "lxml", "click",
                 "python-calamine", "pandas", "numpy"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="perfreport-bench-"))
    env = Env(work)
    m: dict = {"batch_size": args.batch, "started": datetime.datetime.now().isoformat(timespec="seconds"),
               "load_before": os.getloadavg(), "cpus": os.cpu_count(), "cpu": cpu(),
               "python": platform.python_version(), "versions": versions(), "runs": args.runs}
    sample = work / "sample.xlsx"
    shutil.copy(SAMPLE, sample)
    out = work / "sample.docx"

    def clear(*paths):
        return lambda: [Path(p).unlink(missing_ok=True) for p in paths]

    print("sample: stages …", file=sys.stderr)
    m["build_loads"] = python_json(["_import", "import perfreport.cli, perfreport.render"], env.cached)["loaded"]
    context = work / "context.pickle"
    stages = python_json(["_stages", sample, args.runs, context], env.cached)
    m["stages"] = stages

    print("sample, floor: whole process …", file=sys.stderr)
    template = ROOT / "templates" / "部门整体绩效评价报告.docx"
    floor_out = work / "floor.docx"
    series = {
        "sample": ([PERFREPORT, "build", sample, "-o", out], env.cached, clear(out)),
        "floor": ([PYTHON, HERE / "floor.py", context, template, floor_out], env.cached, clear(floor_out)),
        "sample_uncached": ([PERFREPORT, "build", sample, "-o", out], env.uncached, clear(out)),
        "sample_no_template_cache": ([PERFREPORT, "build", sample, "-o", out], env.no_template_cache, clear(out)),
        "startup": ([PYTHON, "-c", "pass"], env.cached, None),
    }
    if m["build_loads"].get("numpy"):  # only then does an environment without numpy differ
        series["sample_no_numpy"] = ([PYTHON, "-c", NO_NUMPY, "build", sample, "-o", out], env.cached, clear(out))
    m.update(interleaved(args.runs, series))
    m["imports"] = {}
    for label, statement in (("perfreport.cli", "import perfreport.cli"),
                             ("perfreport.cli + render", "import perfreport.cli, perfreport.render"),
                             ("docxtpl + jinja2 (the floor's)", "import docxtpl, jinja2"),
                             ("openpyxl", "import openpyxl"),
                             ("openpyxl without numpy", "import sys; sys.modules['numpy'] = None; import openpyxl"),
                             ("python_calamine", "import python_calamine"),
                             ("pandas", "import pandas")):
        try:
            python_json(["_import", statement], env.cached)  # warm the bytecode cache
            m["imports"][label] = statistics.median(
                python_json(["_import", statement], env.cached)["seconds"] for _ in range(5))
        except RuntimeError:
            m["imports"][label] = None

    m["import_tree"] = import_tree(env.cached)

    print("profile …", file=sys.stderr)
    prof = work / "build.prof"
    clear(out)()
    timed([PYTHON, "-m", "cProfile", "-o", prof, PERFREPORT, "build", sample, "-o", out], env.cached, check=False)
    m["profile"] = profile_buckets(prof)

    m["synthetic"] = {}
    factors = (10,) if args.quick else (10, 100)
    for factor in factors:
        print(f"{factor}x …", file=sys.stderr)
        path = work / f"x{factor}.xlsx"
        rows = synthetic(factor, path)
        target = work / f"x{factor}.docx"
        runs = args.runs if factor <= 10 else max(3, args.runs // 2)
        whole = repeat(runs, [PERFREPORT, "build", path, "-o", target], env.cached, before=clear(target))
        staged = python_json(["_stages", path, 1 if factor >= 100 else 3], env.cached)
        m["synthetic"][factor] = {"rows": rows, "bytes": path.stat().st_size, "whole": whole, "stages": staged}
        if factor == max(factors):
            prof = work / f"x{factor}.prof"
            clear(target)()
            timed([PYTHON, "-m", "cProfile", "-o", prof, PERFREPORT, "build", path, "-o", target], env.cached,
                  check=False)
            m["profile_large"] = (factor, profile_buckets(prof))

    print("batch …", file=sys.stderr)
    folder = work / "batch"
    folder.mkdir()
    books = []
    for n in range(args.batch):
        books.append(folder / f"w{n:02d}.xlsx")
        shutil.copy(SAMPLE, books[-1])
    outdir = work / "batch-out"
    clean = lambda: shutil.rmtree(outdir, ignore_errors=True)  # noqa: E731
    m["batch"] = {int(jobs): result for jobs, result in interleaved(args.batch_runs, {
        str(jobs): ([PERFREPORT, "build", *books, "-o", outdir, "--jobs", jobs], env.cached, clean)
        for jobs in (1, 2)}).items()}

    print("readers …", file=sys.stderr)
    m["readers"] = {"sample": python_json(["_readers", sample, args.runs], env.cached)}
    for factor in factors:
        m["readers"][f"{factor}x"] = python_json(["_readers", work / f"x{factor}.xlsx", 3 if factor < 100 else 1],
                                                 env.cached)
    m["load_after"] = os.getloadavg()
    m["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    shutil.rmtree(work, ignore_errors=True)
    return m


# ---------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------
def ms(seconds) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.0f} ms"


def sec(seconds) -> str:
    return f"{seconds:.2f} s"


def verdict(ok: bool) -> str:
    return "✅ met" if ok else "❌ not met"


def _stage_medians(staged: dict, skip_first: bool) -> list[float]:
    rows = staged["runs"][1:] if skip_first and len(staged["runs"]) > 1 else staged["runs"]
    return [statistics.median(r[i] for r in rows) for i in range(len(STAGES))]


def report(m: dict) -> str:
    sample, floor = m["sample"]["median"], m["floor"]["median"]
    ratio = sample / floor
    lines = [
        "# perfreport benchmark results",
        "",
        f"Measured by `benchmarks/bench.py` on {m['started']} (finished {m['finished']}). "
        "Re-run it by hand to refresh this file; nothing here is estimated.",
        "",
        f"- Machine: {m['cpus']} CPUs ({m['cpu']}), Python {m['python']}; load average "
        f"{m['load_before'][0]:.2f} before, {m['load_after'][0]:.2f} after (other work on the machine "
        "inflates the figures; a load near the CPU count makes `--jobs 2` compete with it).",
        "- Packages: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
        f"- Whole-process figures: median of {m['runs']} runs after one warm-up run, wall clock, "
        "`perfreport build` as a user runs it, bytecode cache on.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| sample build ≤ {TARGETS['sample_s']:.1f} s median, whole process | {sec(sample)} | "
        f"{verdict(sample <= TARGETS['sample_s'])} |",
        f"| sample build ≤ {TARGETS['floor_ratio']}× the floor ({sec(floor)}) | {ratio:.2f}× | "
        f"{verdict(ratio <= TARGETS['floor_ratio'])} |",
    ]
    synthetic = m["synthetic"]
    if 100 in synthetic:
        t10, t100 = synthetic[10]["whole"]["median"], synthetic[100]["whole"]["median"]
        peak = synthetic[100]["whole"]["peak_mb"]
        lines += [
            f"| 100× rows ≤ {TARGETS['x100_s']:.0f} s | {sec(t100)} | {verdict(t100 <= TARGETS['x100_s'])} |",
            f"| 100× rows ≤ {TARGETS['x100_mb']} MB peak | {peak:.0f} MB | {verdict(peak <= TARGETS['x100_mb'])} |",
            f"| 10× → 100× no worse than linear (time ratio ≤ 10) | {t100 / t10:.1f}× | {verdict(t100 / t10 <= 10)} |",
        ]
    speedup = m["batch"][1]["median"] / m["batch"][2]["median"]
    lines += [
        f"| batch `--jobs 2` ≥ {TARGETS['batch_speedup']}× the throughput of `--jobs 1` | {speedup:.2f}× | "
        f"{verdict(speedup >= TARGETS['batch_speedup'])} |",
        "",
        "## 1. Sample build, whole process",
        "",
        f"The series below ran taking turns ({m['runs']} rounds after a warm-up round), so that other load on "
        "the machine falls on all of them alike; each run first waits (up to 20 s) for a quiet "
        f"machine (other processes using < 0.25 CPU), and a run during which other processes kept more than {MAX_OTHER} CPU busy is "
        f"repeated (up to {RETRIES} times, the least disturbed kept). CPU is the process's user + system time "
        "(median). *Other load* is the most CPUs other processes kept busy during any one kept run "
        "(0 = none); a figure above 0.3 means the machine never got quiet enough for that series.",
        "",
        "| | median | min | max | CPU | peak memory | other load |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, key in (("`perfreport build` (bytecode cache on)", "sample"),
                       ("`perfreport build`, PYTHONDONTWRITEBYTECODE=1 (perfreport's modules compiled every run)",
                        "sample_uncached"),
                       ("`perfreport build` where numpy is not installed (import of numpy blocked)",
                        "sample_no_numpy"),
                       ("`perfreport build`, PERFREPORT_CACHE=off (template prepared and compiled every run)",
                        "sample_no_template_cache"),
                       ("floor: import docxtpl/jinja2, render the template with the final context, save", "floor"),
                       ("interpreter start-up alone (`python -c pass`)", "startup")):
        if key not in m:
            continue
        r = m[key]
        lines.append(f"| {label} | {sec(r['median'])} | {sec(r['min'])} | {sec(r['max'])} | {sec(r['cpu'])} | "
                     f"{r['peak_mb']:.0f} MB | {r['others']:.2f} |")
    cpu_ratio = m["sample"]["cpu"] / m["floor"]["cpu"]
    lines += ["", f"Build ÷ floor = {ratio:.2f} by median wall time ({m['sample']['min'] / m['floor']['min']:.2f} "
                  f"by the fastest runs, {cpu_ratio:.2f} by CPU time); the build spends "
                  f"{ms(sample - floor)} more than the floor.", "",
              "## 2. Time per stage (sample, one process)", "",
              "`import` is measured once in a fresh process; the stages are the median of the runs after the "
              "first (the first includes one-time work such as lazy imports).", "",
              "| stage | first run | median of the others |", "|---|---|---|"]
    stages = m["stages"]
    first = stages["runs"][0]
    medians = _stage_medians(stages, True)
    lines.append(f"| import perfreport (pipeline and the workbook reader) | {ms(stages['import_pipeline'])} | |")
    lines.append(f"| import perfreport.render (docx, docxtpl, jinja2) | {ms(stages['import_render'])} | |")
    for name, a, b in zip(STAGES, first, medians):
        lines.append(f"| {name} | {ms(a)} | {ms(b)} |")
    lines.append(f"| **total of the stages** | {ms(sum(first))} | {ms(sum(medians))} |")
    lines += ["", "Imports, in a fresh interpreter, median of 5:", "", "| import | time |", "|---|---|"]
    for label, seconds in m["imports"].items():
        lines.append(f"| `{label}` | {ms(seconds) if seconds is not None else 'not installed'} |")
    tree = m["import_tree"]
    shown = [(k, v) for k, v in tree.items() if v >= 0.005]
    lines += ["", "What `perfreport build` imports, by top-level package (own import time of its modules, "
              "`python -X importtime`, median of 3):", "",
              "| package | time |", "|---|---|"]
    lines += [f"| {k} | {ms(v)} |" for k, v in shown]
    lines.append(f"| everything else ({len(tree) - len(shown)} packages) | {ms(sum(tree.values()) - sum(v for _, v in shown))} |")
    lines.append(f"| **total** | {ms(sum(tree.values()))} |")

    total, buckets, own = m["profile"]
    factor, (large_total, large_buckets, _) = m.get("profile_large", (None, (None, [], None)))
    large = dict(large_buckets)
    lines += ["", "## 3. Profiles of whole-process builds (cProfile)", "",
              f"Cumulative time per step, as profiled: the sample ({ms(total)} in all)"
              + (f" and the {factor}× workbook ({ms(large_total)})" if factor else "")
              + ". cProfile slows Python code down, so read the shares rather than the absolute figures.", "",
              "| step | sample | share |" + (f" {factor}× | share |" if factor else ""),
              "|---|---|---|" + ("---|---|" if factor else "")]
    for label, seconds in buckets:
        share = f"{seconds / total:.0%}" if seconds else ""
        row = f"| {label.replace('  ', '&nbsp;&nbsp;')} | {ms(seconds)} | {share} |"
        if factor:
            big = large.get(label)
            row += f" {ms(big)} | {f'{big / large_total:.0%}' if big else ''} |"
        lines.append(row)
    lines += ["", "Top functions of the sample build by own time:", "", "| function | own | cumulative |",
              "|---|---|---|"]
    for name, tt, ct in own:
        lines.append(f"| `{name}` | {ms(tt)} | {ms(ct)} |")

    lines += ["", "## 4. Synthetic workbooks (10× and 100× rows)", "",
              "Written with the sample's own writer (`sample_workbooks/make_sample.py`) from its data with "
              "复评项目, 问卷 questions, 目标对比 and 固定资产 repeated; the report is built in full.", "",
              "| workbook | rows 复评/问卷/目标对比/固定资产 | file | whole process (median) | CPU | peak memory "
              "| other load |",
              "|---|---|---|---|---|---|---|"]
    lines.append(f"| sample (1×) | 6/57/20/15 | {SAMPLE.stat().st_size / 1024:.0f} KB | {sec(sample)} | "
                 f"{sec(m['sample']['cpu'])} | {m['sample']['peak_mb']:.0f} MB | {m['sample']['others']:.2f} |")
    for factor, s in synthetic.items():
        r = s["rows"]
        lines.append(f"| {factor}× | {r['复评项目']}/{r['问卷']}/{r['目标对比']}/{r['固定资产']} "
                     f"({r['问卷题数']} questions) | {s['bytes'] / 1024:.0f} KB | {sec(s['whole']['median'])} "
                     f"(runs: {', '.join(f'{x:.2f}' for x in s['whole']['runs'])}) | {sec(s['whole']['cpu'])} | "
                     f"{s['whole']['peak_mb']:.0f} MB | {s['whole']['others']:.2f} |")
    lines += ["", "Per stage (one process):", "", "| stage | sample | " + " | ".join(f"{f}×" for f in synthetic) + " |",
              "|---|---|" + "---|" * len(synthetic)]
    per = [medians] + [_stage_medians(s["stages"], len(s["stages"]["runs"]) > 1) for s in synthetic.values()]
    for i, name in enumerate(STAGES):
        lines.append(f"| {name} | " + " | ".join(ms(p[i]) for p in per) + " |")
    if 100 in synthetic:
        t1, t10, t100 = sample, synthetic[10]["whole"]["median"], synthetic[100]["whole"]["median"]
        lines += ["", f"Growth: 100× takes {t100 / t10:.1f}× the time of 10× for 10× the rows. Above the "
                      f"sample's own cost, 10× adds {sec(t10 - t1)} for 9 more copies of the rows "
                      f"({ms((t10 - t1) / 9)} each) and 100× adds {sec(t100 - t1)} for 99 more "
                      f"({ms((t100 - t1) / 99)} each)."]

    b1, b2 = m["batch"][1], m["batch"][2]
    n = m["batch_size"]
    lines += ["", f"## 5. Batch of {n} workbooks", "",
              f"`perfreport build w00.xlsx … w{n - 1:02d}.xlsx -o DIR --jobs N` (copies of the sample), "
              f"median of {len(b1['runs'])} runs.", "",
              "| | time (median) | runs | throughput | other load |", "|---|---|---|---|---|",
              f"| `--jobs 1` | {sec(b1['median'])} | {', '.join(f'{x:.2f}' for x in b1['runs'])} | "
              f"{n / b1['median']:.2f} workbooks/s | {b1['others']:.2f} |",
              f"| `--jobs 2` | {sec(b2['median'])} | {', '.join(f'{x:.2f}' for x in b2['runs'])} | "
              f"{n / b2['median']:.2f} workbooks/s | {b2['others']:.2f} |",
              "", f"Speed-up {speedup:.2f}× on {m['cpus']} CPUs."]

    lines += ["", "## 6. Excel readers", "",
              "Reading every sheet of the workbook, in one process after the imports, median. "
              "`perfreport.load` is the whole current load stage (its reader plus the checks and typing); "
              "the other rows only read the cells.", "",
              "| reader | " + " | ".join(m["readers"]) + " |", "|---|" + "---|" * len(m["readers"])]
    for name in next(iter(m["readers"].values())):
        cells = []
        for values in m["readers"].values():
            v = values.get(name)
            cells.append(ms(v) if isinstance(v, (int, float)) else str(v))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", findings(m), "", ANALYSIS.strip(), ""]
    return "\n".join(lines)


def findings(m: dict) -> str:
    """The conclusions the figures above support, with their numbers."""
    tree, imports, readers = m["import_tree"], m["imports"], m["readers"]["sample"]
    loads = m.get("build_loads", {"openpyxl": True, "numpy": True, "python_calamine": False})
    total, buckets, _ = m["profile"]
    bucket = {label.strip(): seconds or 0.0 for label, seconds in buckets}
    share = {key: value / total for key, value in bucket.items()}
    stage = dict(zip(STAGES, _stage_medians(m["stages"], True)))
    sample, floor = m["sample"]["median"], m["floor"]["median"]
    calamine = readers.get("python-calamine, values")
    openpyxl_read = readers.get("openpyxl, values + number formats")
    current = next((v for k, v in readers.items() if k.startswith("perfreport.load")), None)
    biggest_name = list(m["readers"])[-1]
    biggest = m["readers"][biggest_name]
    post = sum(share.get(k, 0.0) for k in ("table_passes (merges, empty columns)",
                                             "numbering pass (numbers, 目录, 附件 list: perfreport.numbering)",
                                             "document.save",
                                             "_reproducible (zip rewrite)"))
    jinja = share.get("jinja2 compile of the template XML", 0.0)
    top = sorted(((k, v) for k, v in tree.items() if k != "perfreport"), key=lambda kv: -kv[1])[:4]
    lines = [
        "## Findings",
        "",
        "### Where the sample build's time goes",
        "",
        f"- **Imports: {ms(sum(tree.values()))}** of a {sec(sample)} build, against the floor's "
        f"{ms(imports.get(chr(100) + 'ocxtpl + jinja2 (the floor' + chr(39) + 's)'))} for docxtpl and jinja2. "
        "Largest: " + ", ".join(f"{k} {ms(v)}" for k, v in top)
        + f"; perfreport's own modules {ms(tree.get('perfreport'))}.",
    ]
    if loads.get("numpy"):
        lines.append(
            f"- **numpy ({ms(tree.get('numpy'))}) is imported although perfreport never uses it**: openpyxl imports "
            "it whenever it is installed (`openpyxl.compat.numbers`), and it is installed here only because pandas "
            f"is. Without numpy the build takes {sec(m['sample_no_numpy']['median'])} (table 1).")
    lines += [
        f"- **Reading the workbook: {ms(stage['load'])}** (the load stage)"
        + (f"; openpyxl's `load_workbook` is {share.get('openpyxl.load_workbook', 0):.0%} of the profile."
           if share.get("openpyxl.load_workbook") else "."),
        f"- **Rendering: {ms(stage['render'])}**, mostly docxtpl itself and so also paid by the floor: jinja2 "
        f"compiling the template's XML ({jinja:.0%} of the profile) and docxtpl's `patch_xml` "
        f"regex pass ({share.get('patch_xml (docxtpl' + chr(39) + 's regex pre-pass)', 0):.0%}). perfreport's own "
        f"post-processing (vertical merges, 目录, save, reproducible zip) is {post:.0%}.",
        f"- validate, score and compose together: {ms(stage['validate'] + stage['score'] + stage['compose'])}.",
        f"- The floor itself is {sec(floor)}, so 1.3× the floor leaves {ms(floor * 0.3)} for everything "
        f"perfreport adds; the build adds {ms(sample - floor)}.",
        "",
        "### Choice of Excel reader",
        "",
        f"Measured on the sample and on the {biggest_name} workbook (section 6; imports in section 2):",
        "",
        f"- **pandas** (either engine): importing it costs {ms(imports.get('pandas'))}, more than the whole "
        "allowance above the floor, to read a few hundred cells; ruled out.",
        f"- **openpyxl**: {ms(openpyxl_read)} on the sample, {ms(biggest.get('openpyxl, values + number formats'))} "
        f"on {biggest_name}, plus {ms(imports.get('openpyxl without numpy'))} of import without numpy, "
        f"{ms(imports.get('openpyxl'))} with it. Its read-only mode: "
        f"{ms(readers.get('openpyxl read_only, values + number formats'))} and "
        f"{ms(biggest.get('openpyxl read_only, values + number formats'))}, without merged ranges.",
        f"- **python-calamine** directly: {ms(calamine)} on the sample, "
        f"{ms(biggest.get('python-calamine, values'))} on {biggest_name}, {ms(imports.get('python_calamine'))} "
        "to import; it gives values and merged ranges but no number formats (a percent-formatted 1.375 means "
        "137.5 %, a bare 1.375 means 1.375 %), so those come from the sheet XML.",
        "",
    ]
    if loads.get("python_calamine") and not loads.get("openpyxl"):
        lines += [
            "**Decision: python-calamine, directly.** The load stage now reads values with python-calamine and "
            "takes merged areas, uncached formulas and percentage formats from the XML pre-scan in "
            "`perfreport.xlsx`; `check` and `build` no longer import openpyxl (nor numpy); `perfreport init` "
            f"still writes with openpyxl. The whole load stage takes {ms(current)} on the sample and "
            f"{ms(next((v for k, v in biggest.items() if k.startswith('perfreport.load')), None))} on "
            f"{biggest_name}.",
        ]
    else:
        lines += [
            "**Decision: python-calamine for the values, with number formats read from `xl/styles.xml` and "
            "each cell's `s` attribute by the XML pre-scan** — it is the fastest to import and to read; pandas "
            "adds its import to the same engine; openpyxl costs its import (and numpy's) on every run. Until "
            f"the loader changes, the current load stage takes {ms(current)} on the sample.",
        ]
    lines += ["", "### Suggestions (for the owners of those modules)", ""]
    suggestions = []
    if loads.get("openpyxl"):
        suggestions.append(
            "Keep openpyxl, hence numpy, off the build path (python-calamine as above); until then keep numpy "
            "out of the runtime environment (neither pandas nor numpy is a perfreport dependency).")
    if "sample_no_template_cache" in m:
        lines.insert(lines.index("### Choice of Excel reader") - 1,
                     f"- **The prepared template is cached** (`perfreport/cache.py`): docxtpl's `patch_xml` and "
                     "jinja2's compilation of the template run once per template content, not on every build. "
                     f"Without the cache the build takes {sec(m['sample_no_template_cache']['median'])} "
                     f"(table 1); the floor, which is docxtpl as it comes, pays them every run.")
    else:
        suggestions.append(
            "Cache the compiled template: docxtpl re-runs `patch_xml` and jinja2 re-compiles the same template "
            f"XML on every build ({jinja:.0%} of the profiled build). The floor keeps paying it, so this lowers "
            "both the time and the ratio to the floor.")
    if "profile_large" in m:
        factor, (large_total, large_buckets, _) = m["profile_large"]
        leaves = sorted(((label.strip(), seconds) for label, seconds in large_buckets
                         if seconds and label.strip() in LEAVES), key=lambda kv: -kv[1])
        suggestions.append(
            f"For large workbooks, the largest steps at {factor}× are "
            + ", ".join(f"{label} {seconds / large_total:.0%}" for label, seconds in leaves[:5])
            + " of the profiled build (section 3).")
    lines += [f"{n}. {text}" for n, text in enumerate(suggestions, 1)]
    return "\n".join(lines)


ANALYSIS = """
## Method notes

- Whole-process timings run `.venv/bin/perfreport` through `subprocess` and `os.wait4` (wall clock and the
  child's peak resident memory). Each series starts with one unmeasured warm-up run (which also fills the
  bytecode cache).
- Per-stage timings call `perfreport.load.load`, `validate.validate`, `score.score`, `compose.compose`,
  `render.render` and `pipeline.write_atomically` with `time.perf_counter` in a fresh interpreter.
- The floor is `benchmarks/floor.py` in its own process: the context `compose` produced for the sample is
  pickled first, then the floor imports docxtpl and jinja2, renders `templates/部门整体绩效评价报告.docx`
  with it (same jinja2 options as `render.py`) and saves it. Anything a build costs above that is
  perfreport's own: its other imports (click, the workbook reader, its modules), reading and checking the workbook, and the
  post-processing of the document (vertical merges, the 目录, a reproducible zip).
- This sandbox sets `PYTHONDONTWRITEBYTECODE=1`, so without care every run would compile perfreport's own
  modules again; users' installations cache bytecode. The benchmark turns the cache on (in a temporary
  `PYTHONPYCACHEPREFIX`, so the repository stays clean) and reports the uncached build once for comparison.
- Compare figures within one run. On a shared virtual machine the medians of two runs of this script can
  differ by tens of percent even when no other process is busy (the *other load* columns); ratios measured
  taking turns (build ÷ floor, `--jobs 2` ÷ `--jobs 1`) are steadier than the absolute times.
- `--jobs 1` builds in the main process; `--jobs N>1` uses a `ProcessPoolExecutor` (fork on Linux, the
  docx stack is imported before the pool starts so workers inherit it).
"""


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in HELPERS:
        HELPERS[argv[0]](*argv[1:])
        return 0
    parser = argparse.ArgumentParser(description="Benchmark perfreport and write benchmarks/RESULTS.md.")
    parser.add_argument("--runs", type=int, default=9, help="runs per whole-process series (≥ 5)")
    parser.add_argument("--batch", type=int, default=20, help="workbooks in the batch")
    parser.add_argument("--batch-runs", type=int, default=5, help="runs of each batch")
    parser.add_argument("--quick", action="store_true", help="3 runs, no 100× workbook, a batch of 6")
    parser.add_argument("--output", default=str(RESULTS), help="where to write the report ('-' prints it)")
    parser.add_argument("--json", help="also write the raw measurements to this file")
    parser.add_argument("--from-json", help="write the report from measurements saved with --json, measure nothing")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.batch, args.batch_runs = 3, 6, 1
    if args.from_json:
        measured = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        measured["synthetic"] = {int(k): v for k, v in measured["synthetic"].items()}
        measured["batch"] = {int(k): v for k, v in measured["batch"].items()}
        args.json = None
    else:
        measured = run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(measured, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    text = report(measured)
    if args.output == "-":
        print(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
