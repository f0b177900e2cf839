#!/usr/bin/env python
"""Speed and memory of the .xlsx exports: rows per second and peak memory.

    .venv/bin/python bench/bench_exports.py                      # writers at 10k and 1M rows, export at 10k and 1M
    .venv/bin/python bench/bench_exports.py --writer-sizes 10000 --export-sizes 10000,100000
    .venv/bin/python bench/bench_exports.py --lxml-python /tmp/lx/bin/python   # openpyxl with lxml too

Two parts, each measurement in a fresh subprocess (so its peak resident memory, ru_maxrss, is its own):

* writers — N synthetic rows shaped like the responsibility table export (11 columns: text, CJK
  text, a date) through: openpyxl write-only (pure-Python XML, as the app had it), openpyxl
  write-only with lxml (needs an interpreter with lxml: --lxml-python), XlsxWriter constant-memory
  (the bare library), and the app's writer `fazhi.core.xlsx.write_workbook` (XlsxWriter plus widths,
  formats, print setup, row heights);
* export — the real `exports.export_table` as the office (the selectors, the ORM, the writer, the
  response streamed to nowhere) on a `fazhi gen` database made as bench_programme.py makes it
  (`/tmp/benchvar-<size>`, reused when its parameters match).

Memory is reported as the peak resident set of the subprocess and its growth over the baseline
measured just before writing. Time as wall time and as the subprocess's CPU time (process_time):
on a shared machine the second is the steadier measure of the work. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import subprocess
import sys
import time

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

HEADER = ["编号", "类别", "目标任务", "单位代码", "单位", "牵头/责任", "阶段", "报送期", "完成时限", "状态", "预警"]


def synthetic_rows(n: int):
    import datetime as dt

    due = dt.date(2026, 6, 30)
    for i in range(n):
        yield (f"B{i % 500:05d}", "组织领导", "完善政府工作规则,建立重大决策规则机制", f"G{i % 2000:05d}",
               "某县人民政府司法局", "责任", "组织实施", "2026年第二季度", due, "进行中", "逾期" if i % 7 == 0 else "")


def rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# ====================================================================== workers (subprocesses)


def writer_worker(kind: str, n: int) -> dict:
    import tempfile

    if kind == "fazhi":
        sys.path.insert(0, str(ROOT / "src"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
        os.environ.setdefault("FAZHI_ENV", "development")
        import django

        django.setup()
        from fazhi.core.xlsx import write_workbook
    elif kind.startswith("openpyxl"):
        from openpyxl import Workbook
        from openpyxl.xml import LXML

        if LXML != (kind == "openpyxl-lxml"):
            raise SystemExit(f"{kind}: lxml {'missing' if not LXML else 'present'} in {sys.executable}")
    else:
        import xlsxwriter
    base = current_rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out.xlsx")
        if kind == "fazhi":
            write_workbook(path, sheets=[("责任分解表", HEADER, synthetic_rows(n))], title="bench", criteria="")
        elif kind.startswith("openpyxl"):
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("责任分解表")
            ws.append(HEADER)
            for r in synthetic_rows(n):
                ws.append(r)
            wb.save(path)
        else:
            wb = xlsxwriter.Workbook(path, {"constant_memory": True})
            ws = wb.add_worksheet("责任分解表")
            date = wb.add_format({"num_format": "yyyy-mm-dd"})
            ws.write_row(0, 0, HEADER)
            for i, r in enumerate(synthetic_rows(n), start=1):
                for c, v in enumerate(r):
                    if c == 8:
                        ws.write_datetime(i, c, v, date)
                    elif v:
                        ws.write_string(i, c, v)
            wb.close()
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        size = os.path.getsize(path)
    return {"kind": kind, "rows": n, "seconds": seconds, "cpu_s": cpu, "rows_per_s": n / seconds,
            "rows_per_cpu_s": n / cpu, "peak_mb": rss_mb(),
            "base_mb": base, "file_mb": size / 2**20, "python": sys.executable}


def export_worker(size: int) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    override_settings(DEBUG=False).enable()
    from fazhi.org.models import User
    from fazhi.programme import exports
    from fazhi.programme.models import Assignment, Programme

    programme = Programme.objects.current()
    office = User.objects.get(username="bench-office")
    rows = Assignment.objects.filter(programme=programme).count()
    today = timezone.localdate()
    assert not settings.DEBUG
    base = current_rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        response = exports.export_table(user=office, programme=programme, today=today, query=QueryDict(""))
        t_built = time.perf_counter() - t0
        size_bytes = sum(len(chunk) for chunk in response.streaming_content)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"kind": "export_table", "rows": rows, "seconds": seconds, "cpu_s": cpu, "first_byte_s": t_built,
            "rows_per_s": rows / seconds, "rows_per_cpu_s": rows / cpu, "peak_mb": rss_mb(), "base_mb": base, "file_mb": size_bytes / 2**20,
            "queries": len(queries.captured_queries)}


# ====================================================================== parent


def run_json(cmd: list[str], env: dict | None = None) -> dict:
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def line(r: dict, label: str) -> str:
    if "error" in r:
        return f"{label:<26} ERROR: {r['error']}"
    extra = f"  first byte {r['first_byte_s']:.1f} s, {r['queries']} queries" if "queries" in r else ""
    return (f"{label:<26}{r['rows']:>11,}{r['seconds']:>9.1f}{r['rows_per_s']:>10,.0f}{r['cpu_s']:>9.1f}"
            f"{r['rows_per_cpu_s']:>11,.0f}{r['peak_mb']:>9.0f}{r['peak_mb'] - r['base_mb']:>6.0f}{r['file_mb']:>9.1f}"
            f"{extra}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--writer-sizes", default="10000,1000000", help="synthetic rows per writer ('' to skip)")
    ap.add_argument("--writers", default="openpyxl,openpyxl-lxml,xlsxwriter,fazhi")
    ap.add_argument("--lxml-python", default="",
                    help="an interpreter with openpyxl and lxml installed, for openpyxl-lxml (lxml is no dependency)")
    ap.add_argument("--export-sizes", default="10000,1000000", help="assignments of the fazhi gen databases ('' to skip)")
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--var-prefix", default="/tmp/benchvar-")
    ap.add_argument("--json", default="/tmp/bench-exports.json")
    ap.add_argument("--worker", choices=["writer", "export"], help=argparse.SUPPRESS)
    ap.add_argument("--kind", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker == "writer":
        print(json.dumps(writer_worker(args.kind, args.n)))
        return
    if args.worker == "export":
        print(json.dumps(export_worker(args.n)))
        return

    print(f"load average {os.getloadavg()[0]:.2f} at start (2 cores: above 1 means other work competes)", flush=True)
    head = (f"{'':<26}{'rows':>11}{'wall s':>9}{'rows/s':>10}{'cpu s':>9}{'rows/cpu-s':>11}{'peak MB':>9}{'+MB':>6}"
            f"{'file MB':>9}")
    results = []
    sizes = [int(s) for s in args.writer_sizes.split(",") if s.strip()]
    if sizes:
        print("\nwriters, synthetic rows of the table export (peak MB = the subprocess's max RSS; +MB = over its "
              "baseline just before writing)\n" + head, flush=True)
    for n in sizes:
        for kind in args.writers.split(","):
            python = sys.executable
            if kind == "openpyxl-lxml":
                if not args.lxml_python:
                    print(f"{kind:<26} skipped: pass --lxml-python (an interpreter with openpyxl and lxml)")
                    continue
                python = args.lxml_python
            env = {**os.environ, "OPENPYXL_LXML": "True" if kind == "openpyxl-lxml" else "False"}
            r = run_json([python, __file__, "--worker", "writer", "--kind", kind, "--n", str(n)], env)
            results.append(r)
            print(line(r, kind), flush=True)

    sizes = [int(s) for s in args.export_sizes.split(",") if s.strip()]
    if sizes:
        from bench_programme import child_env, prepare

        print("\nexport_table (office, no filter) on a fazhi gen database, streamed to nowhere\n" + head, flush=True)
    for size in sizes:
        ns = argparse.Namespace(units=args.units, seed=args.seed, analyze=False, var_prefix=args.var_prefix, reuse=True)
        var_dir, _ = prepare(size, ns)
        r = run_json([sys.executable, __file__, "--worker", "export", "--n", str(size)], child_env(var_dir))
        results.append(r)
        print(line(r, f"export_table @ {size:,}"), flush=True)
    Path(args.json).write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), "results": results}, indent=1))
    print(f"\nresults in {args.json}")


if __name__ == "__main__":
    main()
