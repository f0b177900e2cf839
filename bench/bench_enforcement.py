#!/usr/bin/env python
"""Scale benchmark of 行政执法 (enforcement): do the case lists, their filters, the overview, the ledger export and
the public decisions list cost the same at 10 thousand and at 1 million cases?

    .venv/bin/python bench/bench_enforcement.py [--sizes 10000,1000000] [--units 2000]

The method of bench_programme.py (same options): for each size a fresh SQLite database in its own FAZHI_VAR_DIR
(/tmp/benchvar-enf-<size>), `fazhi migrate` + `fazhi gen_enforcement`, then a worker subprocess (Django set up
against that database) times each measure: median of --runs runs after --warmups warm-ups, round-robin over the
measures. The goal: time at the largest size ÷ time at the smallest ≤ 1.5. When a ratio fails, the slowest
queries of that measure at the largest size are printed with their plans. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path
import shutil
import statistics
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_programme import GOAL_RATIO, child_env, fmt_ms, queries_of, run  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FAZHI = ROOT / ".venv" / "bin" / "fazhi"
FILTER_CITY = "G00001"  # the first city's subtree: 1/40 of the units at the default size
EXPORT_FIRST = 1000  # the export's measure: time to the first 1000 rows
EXPORT_MEMORY_ROWS = 20_000  # rows streamed (at most) for the memory measure


# ====================================================================== parent


def prepare(size: int, args) -> tuple[Path, float | None]:
    """A fresh database with `size` cases (or the one from an identical earlier run, --reuse)."""
    var_dir = Path(f"{args.var_prefix}{size}")
    marker = var_dir / "bench-params.json"
    params = {"units": args.units, "cases": size, "seed": args.seed, "analyze": args.analyze}
    if args.reuse and marker.exists() and json.loads(marker.read_text()) == params:
        print(f"[{size}] reusing {var_dir}", flush=True)
        return var_dir, None
    if var_dir.exists():
        if not var_dir.name.startswith("benchvar-") or var_dir.resolve() == (ROOT / "var").resolve():
            sys.exit(f"refusing to delete {var_dir}: not a bench directory")
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    env = child_env(var_dir)
    print(f"[{size}] {var_dir}: migrate", flush=True)
    run([str(FAZHI), "migrate", "--noinput", "-v", "0"], env, f"[{size}]   ")
    print(f"[{size}] gen_enforcement --units {args.units} --cases {size} --seed {args.seed}", flush=True)
    gen_s = run([str(FAZHI), "gen_enforcement", "--scratch", "--units", str(args.units), "--cases", str(size), "--seed",
                 str(args.seed)], env, f"[{size}]   ")
    if args.analyze:
        import sqlite3

        with sqlite3.connect(var_dir / "fazhi.sqlite3") as c:
            c.execute("ANALYZE")
        print(f"[{size}] ANALYZE done (--analyze)", flush=True)
    marker.write_text(json.dumps(params))
    (var_dir / "static").mkdir(exist_ok=True)  # STATIC_ROOT: whitenoise warns when it is missing
    return var_dir, gen_s


def report(results: list[dict], args) -> bool:
    small, large = results[0], results[-1]
    names = list(dict.fromkeys(n for r in results for n in r["measures"]))
    w_name = max(len(n) for n in names) + 2
    head = f"{'measure':<{w_name}}" + "".join(f"{'ms @ ' + format(r['size'], ','):>16}" for r in results)
    head += f"{'ratio':>8}  {'verdict':<8}{'cpu-ratio':>10}  rows→total"
    print("\n" + head + "\n" + "-" * len(head))
    failed = []
    for n in names:
        a, b = small["measures"].get(n), large["measures"].get(n)
        line = f"{n:<{w_name}}" + "".join(f"{fmt_ms(r['measures'].get(n)):>16}" for r in results)
        if a and b and not a.get("error") and not b.get("error"):
            ratio = b["median_ms"] / a["median_ms"]
            ok = ratio <= GOAL_RATIO
            line += f"{ratio:>8.2f}  {'PASS' if ok else 'FAIL':<8}{b['cpu_median_ms'] / a['cpu_median_ms']:>10.2f}"
            line += "  " + " | ".join(f"{r['measures'][n]['sample'].get('rows', '')}→{r['measures'][n]['sample'].get('total', '')}"
                                      for r in results)
            if not ok:
                failed.append(n)
        else:
            line += f"{'':>8}  n/a"
        print(line)
    for r in results:
        for n, m in r["measures"].items():
            if m.get("error"):
                print(f"  ! {n} @ {r['size']:,}: {m['error']}")
    for r in results:
        mem = r.get("export_memory") or {}
        print(f"  @ {r['size']:,}: {r['penalty']:,} penalty + {r['licence']:,} licence cases, {r['deadlines']:,} clocks "
              f"({r['overdue_clocks']:,} overdue), {r['publications']:,} publications, db {r['db_mb']} MB, "
              f"gen {'reused' if r['gen_seconds'] is None else format(r['gen_seconds'], '.0f') + 's'}, "
              f"load average {r['load_before']:.2f} → {r['load_after']:.2f}; ledger export streamed "
              f"{mem.get('rows', 0):,} rows in {mem.get('seconds', 0):.1f}s, Python peak {mem.get('peak_mb', 0):.1f} MB")
    print(f"\nratio = median wall time (perf_counter) at {large['size']:,} ÷ at {small['size']:,}; PASS if ≤ {GOAL_RATIO}. "
          "cpu-ratio = the same with this process's CPU time. rows→total: rows on the first page → the paginator's "
          "total (or the measure's own count).")
    print(f"median of {args.runs} runs after {args.warmups} warm-ups; {args.units} units at every size")
    for n in failed:
        m = large["measures"][n]
        print(f"\n=== {n} @ {large['size']:,}: {m['median_ms']:.1f} ms (vs {small['measures'][n]['median_ms']:.1f} ms) — "
              f"its slowest SELECTs (ms = median of 3 re-executions with fetchall) ===")
        selects = [q for q in m.get("queries", []) if q["plan"]]
        for q in sorted(selects, key=lambda q: -q["ms"])[:4]:
            print(f"\n  [{q['ms']:.1f} ms, {q['rows']} rows] {q['sql'][:600]}{' …' if len(q['sql']) > 600 else ''}")
            for line in q["plan"].splitlines():
                print(f"      {line}")
    return not failed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,1000000", help="case counts, comma-separated (default 10000,1000000)")
    ap.add_argument("--units", type=int, default=2000, help="units at every size (default 2000)")
    ap.add_argument("--runs", type=int, default=11, help="timed runs per measure (default 11)")
    ap.add_argument("--warmups", type=int, default=2, help="untimed warm-up runs (default 2)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--var-prefix", default="/tmp/benchvar-enf-", help="database directory = prefix + size")
    ap.add_argument("--reuse", action="store_true", help="reuse a database generated with the same parameters")
    ap.add_argument("--analyze", action="store_true", help="run SQLite ANALYZE after gen (the app never does)")
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP-level timings")
    ap.add_argument("--json", default="/tmp/benchvar-enf-results.json", help="write all results here")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args)
    if args.runs < 1 or args.warmups < 0:
        sys.exit("--runs ≥ 1, --warmups ≥ 0")
    if os.getloadavg()[0] > 0.8:
        print(f"note: load average {os.getloadavg()[0]:.2f} before starting: other work on the machine will add noise",
              flush=True)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    if len(sizes) < 2:
        sys.exit("--sizes needs at least two sizes")
    t0 = time.perf_counter()
    results = []
    for size in sizes:
        var_dir, gen_s = prepare(size, args)
        out = var_dir / "bench-result.json"
        out.unlink(missing_ok=True)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--size", str(size), "--runs", str(args.runs),
               "--warmups", str(args.warmups), "--json", str(out)] + (["--no-http"] if args.no_http else [])
        print(f"[{size}] measuring", flush=True)
        run(cmd, child_env(var_dir), f"[{size}]   ")
        r = json.loads(out.read_text())
        r["gen_seconds"] = gen_s
        r["db_mb"] = round((var_dir / "fazhi.sqlite3").stat().st_size / 2**20, 1)
        results.append(r)
    ok = report(results, args)
    meta = {"date": dt.datetime.now().isoformat(timespec="seconds"), "argv": sys.argv[1:],
            "elapsed_s": round(time.perf_counter() - t0, 1), "results": results}
    Path(args.json).write_text(json.dumps(meta, ensure_ascii=False, indent=1, default=str))
    print(f"\n{'all ratios pass' if ok else 'some ratios FAIL'}; total {meta['elapsed_s']:.0f}s; results in {args.json}")
    sys.exit(0 if ok else 1)


# ====================================================================== worker


def worker(args) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    override_settings(DEBUG=False, STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fazhi.core.pagination import CappedCountPaginator
    from fazhi.deadlines.models import Deadline
    from fazhi.enforcement.licence import selectors as lsel
    from fazhi.enforcement.licence import views as lviews
    from fazhi.enforcement.licence.models import LicenceCase
    from fazhi.enforcement.penalty import exports as pexports
    from fazhi.enforcement.penalty import selectors as psel
    from fazhi.enforcement.penalty import views as pviews
    from fazhi.enforcement.penalty.models import PenaltyCase
    from fazhi.enforcement.publication import selectors as pubsel
    from fazhi.enforcement.publication.models import Publication
    from fazhi.enforcement.subjects import overview
    from fazhi.org.models import KeyArea, User

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    today = timezone.localdate()
    office = User.objects.get(username="bench-office")
    unit_user = User.objects.get(username="bench-unit")
    area = KeyArea.objects.filter(active=True).order_by("sort_order", "code").first().code
    result = {"size": args.size, "penalty": PenaltyCase.objects.count(), "licence": LicenceCase.objects.count(),
              "deadlines": Deadline.objects.count(), "publications": Publication.objects.count(),
              "overdue_clocks": Deadline.objects.filter(status=Deadline.OPEN, due__lt=today).count(),
              "today": str(today), "measures": {}, "load_before": os.getloadavg()[0]}
    log(f"{result['penalty']:,} penalty, {result['licence']:,} licence cases, {result['deadlines']:,} clocks")

    def fresh(user):
        user.__dict__.pop("_fazhi_scope", None)  # a request computes the scope once: include that query
        return user

    def page_of(qs, per_page):
        page = CappedCountPaginator(qs, per_page).get_page(1)  # as the list views: COUNT up to the cap + the page
        return {"rows": len(list(page.object_list)), "total": page.paginator.count}

    def penalty_list(user, query):
        def fn():
            u = fresh(user)
            return page_of(psel.cases(user=u, filters=psel.CaseFilters.parse(query)), pviews.PAGE_SIZE)
        return fn

    def licence_list(user, query):
        def fn():
            u = fresh(user)
            return page_of(lsel.cases(user=u, filters=lsel.CaseFilters.parse(query, user=u)), lviews.PAGE_SIZE)
        return fn

    def overview_page(user):
        def fn():  # what OverviewView puts in its context
            u = fresh(user)
            cases = overview.cases(u, today)
            certs = overview.certificates(u, today)
            subjects = overview.subjects(u, today)
            return {"rows": len(cases["by_unit"]), "total": cases["totals"]["penalty"] + cases["totals"]["licence"],
                    "late": cases["late"], "expiring": certs["expiring"]["count"],
                    "not_reviewed": subjects["not_reviewed"]["count"]}
        return fn

    def export_first(user):
        def fn():  # the ledger's rows as ledger_xlsx makes them, up to the first EXPORT_FIRST
            u = fresh(user)
            qs = psel.cases(user=u, filters=psel.CaseFilters.parse({}))
            rows, chunk = 0, []
            for case in qs.iterator(chunk_size=pexports.CHUNK):
                chunk.append(case)
                if len(chunk) >= pexports.CHUNK:
                    rows += sum(1 for _ in pexports._rows(chunk, today))
                    chunk = []
                    if rows >= EXPORT_FIRST:
                        break
            if chunk and rows < EXPORT_FIRST:
                rows += sum(1 for _ in pexports._rows(chunk, today))
            return {"rows": rows, "total": ""}
        return fn

    def public_list():
        def fn():
            return page_of(pubsel.public_publications(filters=pubsel.Filters.parse({})), 20)
        return fn

    measures = [
        ("p-a  penalty list (office)", penalty_list(office, {})),
        ("p-b  penalty ?status=investigating", penalty_list(office, {"status": "investigating"})),
        ("p-c  penalty ?key_area", penalty_list(office, {"key_area": area})),
        ("p-d  penalty ?unit=city", penalty_list(office, {"unit": FILTER_CITY})),
        ("p-e  penalty ?overdue=true", penalty_list(office, {"overdue": "true"})),
        ("p-f  penalty list (unit user)", penalty_list(unit_user, {})),
        ("l-a  licence list (office)", licence_list(office, {})),
        ("l-b  licence ?status=reviewing", licence_list(office, {"status": "reviewing"})),
        ("l-d  licence ?unit=city", licence_list(office, {"unit": FILTER_CITY})),
        ("l-e  licence ?overdue=true", licence_list(office, {"overdue": "true"})),
        ("l-f  licence list (unit user)", licence_list(unit_user, {})),
        ("o-a  overview (office)", overview_page(office)),
        ("o-b  overview (unit user)", overview_page(unit_user)),
        ("x    ledger export, first 1000 rows", export_first(office)),
        ("pub  public decisions list", public_list()),
    ]
    if not args.no_http:
        measures += http_measures(office, unit_user, area)

    live, times, cpu, samples = [], {}, {}, {}
    for name, fn in measures:
        try:
            for _ in range(args.warmups):
                samples[name] = fn()
            if not args.warmups:
                samples[name] = fn()
            live.append((name, fn))
            times[name], cpu[name] = [], []
        except Exception as e:  # a selector changed under us: report it, keep measuring the rest
            result["measures"][name] = {"error": f"{type(e).__name__}: {e}"}
            log(f"{name:<45} ERROR {type(e).__name__}: {e}")
    for _ in range(args.runs):
        for name, fn in live:
            c, t = time.process_time(), time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t) * 1000)
            cpu[name].append((time.process_time() - c) * 1000)
    for name, fn in live:
        m = result["measures"][name] = {
            "median_ms": statistics.median(times[name]), "min_ms": min(times[name]), "max_ms": max(times[name]),
            "cpu_median_ms": statistics.median(cpu[name]), "runs_ms": [round(t, 2) for t in times[name]],
            "sample": samples[name], "queries": queries_of(fn, connection, CaptureQueriesContext)}
        log(f"{name:<45} {m['median_ms']:8.1f} ms  {m['sample']}")
    result["export_memory"] = export_memory(office, today, psel, pexports)
    log(f"export memory: {result['export_memory']}")
    result["load_after"] = os.getloadavg()[0]
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, default=str))


def export_memory(user, today, psel, pexports) -> dict:
    """The ledger's rows streamed as ledger_xlsx does (chunks of pexports.CHUNK), up to EXPORT_MEMORY_ROWS: the
    Python heap's peak (tracemalloc) stays at a few chunks whatever the row count. (The writer's own flat memory
    is measured by bench_exports.py.)"""
    import tracemalloc

    qs = psel.cases(user=user, filters=psel.CaseFilters.parse({}))
    tracemalloc.start()
    t, rows, chunk = time.perf_counter(), 0, []
    for case in qs.iterator(chunk_size=pexports.CHUNK):
        chunk.append(case)
        if len(chunk) >= pexports.CHUNK:
            rows += sum(1 for _ in pexports._rows(chunk, today))
            chunk = []
            if rows >= EXPORT_MEMORY_ROWS:
                break
    if chunk and rows < EXPORT_MEMORY_ROWS:
        rows += sum(1 for _ in pexports._rows(chunk, today))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"rows": rows, "seconds": round(time.perf_counter() - t, 2), "peak_mb": round(peak / 2**20, 1)}


def http_measures(office, unit_user, area):
    """Full requests through the test Client (session, templates rendered)."""
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    clients = {"anonymous": Client()}
    for label, user in (("office", office), ("unit", unit_user)):
        c = Client()
        c.force_login(user)
        clients[label] = c

    def get(label, url):
        def fn():
            connections.close_all()  # deployed, CONN_MAX_AGE is 0 for SQLite: every request opens a connection
            r = clients[label].get(url)
            if r.status_code != 200:
                raise RuntimeError(f"GET {url} → {r.status_code}")
            return {"rows": "", "total": f"{len(r.content) // 1024} KB"}
        return fn

    penalty, licence = reverse("penalty-list"), reverse("licence-list")
    return [
        ("h-p-a  GET penalty list (office)", get("office", penalty)),
        ("h-p-e  GET penalty ?overdue=true (office)", get("office", f"{penalty}?overdue=true")),
        ("h-p-c  GET penalty ?key_area (office)", get("office", f"{penalty}?key_area={area}")),
        ("h-p-f  GET penalty list (unit)", get("unit", penalty)),
        ("h-l-a  GET licence list (office)", get("office", licence)),
        ("h-o-a  GET overview (office)", get("office", reverse("enforcement-overview"))),
        ("h-o-b  GET overview (unit)", get("unit", reverse("enforcement-overview"))),
        ("h-pub  GET public decisions (anonymous)", get("anonymous", reverse("public-enforcement-decisions"))),
    ]


if __name__ == "__main__":
    main()
