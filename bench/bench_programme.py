#!/usr/bin/env python
"""Scale benchmark of the programme's table and overview: does a page cost the same at
10 thousand and at 1 million assignments?

    .venv/bin/python bench/bench_programme.py [--sizes 10000,1000000] [--units 2000]

For each size: a fresh SQLite database in its own FAZHI_VAR_DIR (/tmp/benchvar-<size>),
`fazhi migrate` + `fazhi gen`, then a worker subprocess (Django set up against that database)
times each measure: median of --runs runs after --warmups warm-ups, time.perf_counter.
The goal: every measure's time at the largest size ÷ its time at the smallest ≤ 1.5.
When a ratio fails, the query plans (EXPLAIN QUERY PLAN) of that measure's queries at the
largest size are printed, slowest query first, to show which one scans. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path
import shutil
import statistics
import subprocess
import sys
import time

ROOT = Path(__file__).resolve().parent.parent
FAZHI = ROOT / ".venv" / "bin" / "fazhi"
GOAL_RATIO = 1.5
PAGE = 50
# The filters of (b). B00001 is always (组织领导, implementation): see fazhi gen.
FILTER_OVERDUE = {"status": "in_progress", "overdue": "true"}
FILTER_CAT_PHASE = {"category": "组织领导", "phase": "implementation"}
FILTER_CITY = {"unit": "G00001"}  # the first city's subtree: 1/40 of the units at the default size


# ====================================================================== parent


def child_env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update(FAZHI_ENV="development", FAZHI_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="fazhi.settings",
               PYTHONUNBUFFERED="1")
    return env


def run(cmd: list[str], env: dict, prefix: str) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        print(f"{prefix}{line.rstrip()}", flush=True)
    if proc.wait():
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return time.perf_counter() - t0


def prepare(size: int, args) -> tuple[Path, float | None]:
    """A fresh database with `size` assignments (or the one from an identical earlier run, --reuse)."""
    var_dir = Path(f"{args.var_prefix}{size}")
    marker = var_dir / "bench-params.json"
    params = {"units": args.units, "assignments": size, "seed": args.seed, "analyze": args.analyze}
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
    print(f"[{size}] gen --units {args.units} --assignments {size} --seed {args.seed}", flush=True)
    gen_s = run([str(FAZHI), "gen", "--units", str(args.units), "--assignments", str(size), "--seed", str(args.seed)],
                env, f"[{size}]   ")
    if args.analyze:
        import sqlite3

        with sqlite3.connect(var_dir / "fazhi.sqlite3") as c:
            c.execute("ANALYZE")
        print(f"[{size}] ANALYZE done (--analyze)", flush=True)
    marker.write_text(json.dumps(params))
    (var_dir / "static").mkdir(exist_ok=True)  # STATIC_ROOT: whitenoise warns when it is missing
    return var_dir, gen_s


def fmt_ms(m: dict | None) -> str:
    if not m:
        return "—"
    if m.get("error"):
        return "ERROR"
    return f"{m['median_ms']:.1f}"


def report(results: list[dict], args) -> bool:
    small, large = results[0], results[-1]
    names = list(dict.fromkeys(n for r in results for n in r["measures"]))
    w_name = max(len(n) for n in names) + 2
    head = f"{'measure':<{w_name}}" + "".join(f"{'ms @ ' + format(r['size'], ','):>16}" for r in results)
    head += f"{'ratio':>8}  {'verdict':<8}{'cpu-ratio':>10}  rows/page"
    print("\n" + head + "\n" + "-" * len(head))
    failed = []
    for n in names:
        a, b = small["measures"].get(n), large["measures"].get(n)
        line = f"{n:<{w_name}}" + "".join(f"{fmt_ms(r['measures'].get(n)):>16}" for r in results)
        if a and b and not a.get("error") and not b.get("error"):
            ratio = b["median_ms"] / a["median_ms"]
            ok = ratio <= GOAL_RATIO
            line += f"{ratio:>8.2f}  {'PASS' if ok else 'FAIL':<8}{b['cpu_median_ms'] / a['cpu_median_ms']:>10.2f}"
            rows = [r["measures"][n]["sample"].get("rows", r["measures"][n]["sample"].get("units")) for r in results]
            if all(x is not None for x in rows):
                line += "  " + "→".join(str(x) for x in rows)
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
        if r.get("http_note"):
            print(f"  note @ {r['size']:,}: {r['http_note']}")
    for r in results:
        print(f"  @ {r['size']:,}: {r['assignments']:,} assignments, {r['tally_rows']:,} tally rows, db {r['db_mb']} MB, "
              f"gen {'reused' if r['gen_seconds'] is None else format(r['gen_seconds'], '.0f') + 's'}, "
              f"load average {r['load_before']:.2f} → {r['load_after']:.2f} (2 cores: > 1 means contention)")
    print(f"\nratio = median wall time (perf_counter) at {large['size']:,} ÷ at {small['size']:,}; PASS if ≤ {GOAL_RATIO}. "
          "cpu-ratio = the same with this process's CPU time (process_time): it leaves out time spent waiting "
          "for a CPU, so when it passes and the ratio fails, suspect other load on the machine.")
    print(f"median of {args.runs} runs after {args.warmups} warm-ups; {args.units} units at every size; "
          f"min–max at {large['size']:,}: " + ", ".join(
              f"{n} {m['min_ms']:.1f}–{m['max_ms']:.1f}" for n, m in large["measures"].items() if not m.get("error")))
    for n in failed:
        m = large["measures"][n]
        print(f"\n=== {n} @ {large['size']:,}: {m['median_ms']:.1f} ms (vs {small['measures'][n]['median_ms']:.1f} ms) — "
              f"its slowest SELECTs (ms = median of 3 re-executions with fetchall) ===")
        selects = [q for q in m.get("queries", []) if q["plan"]]  # SELECTs; not session writes
        for q in sorted(selects, key=lambda q: -q["ms"])[:6]:
            print(f"\n  [{q['ms']:.1f} ms, {q['rows']} rows] {q['sql'][:600]}{' …' if len(q['sql']) > 600 else ''}")
            for line in q["plan"].splitlines():
                print(f"      {line}")
        if m.get("explain"):
            print("\n  page queryset: qs[:50].explain()")
            for line in m["explain"].splitlines():
                print(f"      {line}")
    return not failed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,1000000", help="assignment counts, comma-separated (default 10000,1000000)")
    ap.add_argument("--units", type=int, default=2000, help="units at every size (default 2000)")
    ap.add_argument("--runs", type=int, default=11, help="timed runs per measure (default 11)")
    ap.add_argument("--warmups", type=int, default=2, help="untimed warm-up runs (default 2)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--var-prefix", default="/tmp/benchvar-", help="database directory = prefix + size")
    ap.add_argument("--reuse", action="store_true", help="reuse a database generated with the same parameters")
    ap.add_argument("--analyze", action="store_true", help="run SQLite ANALYZE after gen (the app never does)")
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP-level timings")
    ap.add_argument("--json", default="/tmp/benchvar-results.json", help="write all results here")
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
    Path(args.json).write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    print(f"\n{'all ratios pass' if ok else 'some ratios FAIL'}; total {meta['elapsed_s']:.0f}s; "
          f"results in {args.json}")
    sys.exit(0 if ok else 1)


# ====================================================================== worker


def worker(args) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # DEBUG (development) would log every query and re-quote its parameters, and the
    # manifest static storage needs collectstatic: neither is what a deployment pays for.
    override_settings(DEBUG=False, STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fazhi.org.models import User
    from fazhi.programme import selectors
    from fazhi.programme.models import Assignment, Programme, Tally

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    programme = Programme.objects.current()
    today = timezone.localdate()
    office = User.objects.get(username="bench-office")
    unit_user = User.objects.get(username="bench-unit")
    result = {"size": args.size, "assignments": Assignment.objects.count(),
              "tally_rows": Tally.objects.count(), "today": str(today), "measures": {},
              "load_before": os.getloadavg()[0]}
    log(f"{result['assignments']:,} assignments, {result['tally_rows']:,} tally rows, programme «{programme}»")

    def fresh(user):
        user.__dict__.pop("_fazhi_scope", None)  # a request computes the scope once: include that query
        return user

    def table(user, query: dict):
        def fn():
            f = selectors.TableFilters.from_query(query)
            qs, total = selectors.assignment_table(user=fresh(user), programme=programme, filters=f, today=today)
            rows = list(qs[:PAGE])
            return {"rows": len(rows), "total": total}

        def explain():
            f = selectors.TableFilters.from_query(query)
            qs, _ = selectors.assignment_table(user=fresh(user), programme=programme, filters=f, today=today)
            return qs[:PAGE].explain()
        return fn, explain

    def overview(user):
        def fn():
            u = fresh(user)
            cats = selectors.overview_by_category(user=u, programme=programme, today=today)
            totals = selectors.overview_totals(user=u, programme=programme, today=today)
            units = list(selectors.units_with_assignments(user=u, programme=programme)[:PAGE])
            rows = selectors.overview_by_unit(user=u, programme=programme, today=today, units=units)
            return {"categories": len(cats), "total": totals["total"], "units": len(rows)}
        return fn, None

    def work_list(user):
        def fn():
            from django.core.paginator import Paginator

            qs = selectors.work_list(user=fresh(user), programme=programme, today=today)
            page = Paginator(qs, PAGE).get_page(1)  # as WorkListView: COUNT(*) + the page
            return {"rows": len(list(page.object_list)), "total": page.paginator.count}

        def explain():
            return selectors.work_list(user=fresh(user), programme=programme, today=today)[:PAGE].explain()
        return fn, explain

    measures = [
        ("a  office table", *table(office, {})),
        ("b1 office table status=in_progress&overdue", *table(office, FILTER_OVERDUE)),
        ("b2 office table category&phase", *table(office, FILTER_CAT_PHASE)),
        ("b3 office table unit=city", *table(office, FILTER_CITY)),
        ("c  office overview", *overview(office)),
        ("d1 unit table", *table(unit_user, {})),
        ("d2 unit overview", *overview(unit_user)),
        ("e  unit work list (extra)", *work_list(unit_user)),
    ]
    http, note = http_measures(office, unit_user)
    if note:
        result["http_note"] = note
        log(note)
    measures += http

    # Warm-ups, then the timed runs round-robin over the measures: a burst of other work on
    # the machine then spreads over every measure instead of sinking one.
    live, times, cpu, samples = [], {}, {}, {}
    for name, fn, explain in measures:
        try:
            for _ in range(args.warmups):
                samples[name] = fn()
            live.append((name, fn, explain))
            times[name], cpu[name] = [], []
        except Exception as e:  # a selector changed under us: report it, keep measuring the rest
            result["measures"][name] = {"error": f"{type(e).__name__}: {e}"}
            log(f"{name:<45} ERROR {type(e).__name__}: {e}")
    if not args.warmups:
        samples = {name: fn() for name, fn, _ in live}
    for _ in range(args.runs):
        for name, fn, _ in live:
            c, t = time.process_time(), time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t) * 1000)
            cpu[name].append((time.process_time() - c) * 1000)
    for name, fn, explain in live:
        m = result["measures"][name] = {
            "median_ms": statistics.median(times[name]), "min_ms": min(times[name]), "max_ms": max(times[name]),
            "cpu_median_ms": statistics.median(cpu[name]), "runs_ms": [round(t, 2) for t in times[name]],
            "sample": samples[name], "queries": queries_of(fn, connection, CaptureQueriesContext)}
        if explain:
            m["explain"] = explain()
        log(f"{name:<45} {m['median_ms']:8.1f} ms  {m['sample']}")
    result["load_after"] = os.getloadavg()[0]
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, default=str))


def queries_of(fn, connection, CaptureQueriesContext) -> list[dict]:
    """Each query of one more run of `fn`: its SQL, the time of re-running it (fetching every
    row) and its EXPLAIN QUERY PLAN (what qs.explain() prints on SQLite)."""
    with CaptureQueriesContext(connection) as cq:
        fn()
    queries = []
    for q in cq.captured_queries:
        sql = q["sql"]
        entry = {"sql": sql, "ms": 0.0, "rows": 0, "plan": ""}
        if sql.lstrip().upper().startswith("SELECT") and connection.vendor == "sqlite":
            with connection.cursor() as c:
                ts = []
                for _ in range(3):
                    t = time.perf_counter()
                    c.execute(sql)
                    entry["rows"] = len(c.fetchall())
                    ts.append((time.perf_counter() - t) * 1000)
                entry["ms"] = statistics.median(ts)
                c.execute("EXPLAIN QUERY PLAN " + sql)
                entry["plan"] = plan_tree(c.fetchall())
        queries.append(entry)
    return queries


def plan_tree(rows) -> str:
    """EXPLAIN QUERY PLAN rows (id, parent, notused, detail) as an indented tree."""
    depth = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return "\n".join(lines)


def http_measures(office, unit_user):
    """Full requests through the test Client, for the pages that exist by now."""
    from django.db import connections
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    def find(*names):
        for name in names:
            try:
                return name, reverse(name)
            except NoReverseMatch:
                continue
        return None, None

    found = {
        "table": find("programme-table", "programme:table", "programme:assignment-table", "assignment-table",
                      "programme-assignments", "programme:assignments"),
        "overview": find("programme-overview", "programme:overview", "overview"),
        "worklist": find("programme-worklist", "programme:worklist"),
    }
    missing = [k for k, (name, _) in found.items() if name is None and k != "worklist"]
    note = (f"HTTP: no URL named like programme-{'/'.join(missing)} yet (src/fazhi/urls.py); skipped"
            if missing else "")

    clients = {}
    for label, user in (("office", office), ("unit", unit_user)):
        c = Client()
        c.force_login(user)
        clients[label] = c

    def get(label, url):
        def fn():
            # Deployed, CONN_MAX_AGE is 0 for SQLite: every request opens its own connection
            # (cold page cache). The test Client keeps it open, so close it first.
            connections.close_all()
            r = clients[label].get(url)
            if r.status_code != 200:
                raise RuntimeError(f"GET {url} → {r.status_code}")
            return {"status": r.status_code, "bytes": len(r.content)}
        return fn, None

    out = []
    _, table_url = found["table"]
    _, overview_url = found["overview"]
    _, worklist_url = found["worklist"]
    from urllib.parse import urlencode

    if table_url:
        out += [
            ("h-a  GET table (office)", *get("office", table_url)),
            ("h-b1 GET table ?status&overdue (office)", *get("office", f"{table_url}?{urlencode(FILTER_OVERDUE)}")),
            ("h-b2 GET table ?category&phase (office)", *get("office", f"{table_url}?{urlencode(FILTER_CAT_PHASE)}")),
            ("h-d1 GET table (unit)", *get("unit", table_url)),
        ]
    if overview_url:
        out += [("h-c  GET overview (office)", *get("office", overview_url)),
                ("h-d2 GET overview (unit)", *get("unit", overview_url))]
    if worklist_url:
        out += [("h-e  GET work list (unit)", *get("unit", worklist_url))]
    return out, note


if __name__ == "__main__":
    main()
