"""`fazhi gen`: a synthetic province for the scale benchmark (bench/bench_programme.py).

N units in a tree (root P → ~N/50 cities → counties/departments), one programme with its
four phases, ceil(M/N) tasks and exactly M assignments, then the tallies rebuilt from them.
Rows are generated and written in batches, so memory stays bounded at M = 1,000,000.
Synthetic data only: run it against a scratch database (FAZHI_VAR_DIR=/tmp/…), never production.
"""

from __future__ import annotations

from datetime import date, datetime, time as dtime, timedelta
import math
import random
import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from fazhi.core.scoping import OFFICE, UNIT_ADMIN
from fazhi.org.models import Unit, User
from fazhi.org.services import role_grant
from fazhi.programme import rules, services
from fazhi.programme.models import (
    DONE, DUE_CONTINUOUS, DUE_DATE, DUE_PHASE, IN_PROGRESS, NOT_STARTED, RETURNED, SUBMITTED, Assignment, Task,
)

ROOT_CODE = "P"
BENCH_OFFICE, BENCH_UNIT = "bench-office", "bench-unit"
BENCH_PASSWORD = "bench-password-2026"
CATEGORIES = ["组织领导", "制度建设", "行政决策", "行政执法", "监督问责", "法治宣传"]
LEAF_KINDS = ["department"] * 6 + ["town"] * 3 + ["subdistrict"]
MONTH_DAYS = ["02-28", "03-31", "05-31", "06-30", "07-31", "08-31", "09-30", "10-31", "11-30", "12-15", "12-31"]
PHASE_WEIGHTS = [("mobilization", 2), ("implementation", 5), ("self_check", 2), ("acceptance", 1)]
PERIOD_WEIGHTS = [("quarterly", 6), ("half_yearly", 2), ("monthly", 1), ("yearly", 1)]
# Due kinds in a fixed cycle of ten tasks: 4 phase, 3 date, 3 continuous.
KIND_CYCLE = [DUE_PHASE, DUE_DATE, DUE_CONTINUOUS, DUE_PHASE, DUE_CONTINUOUS, DUE_DATE, DUE_PHASE, DUE_DATE,
              DUE_CONTINUOUS, DUE_PHASE]
BATCH = 5000


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def programme_dates(today: date) -> tuple[date, date, dict]:
    """Two years from 1 January of this year (last year before May), like the demo."""
    start = date(today.year if today.month >= 5 else today.year - 1, 1, 1)
    cut = [start, _add_months(start, 2), _add_months(start, 16), _add_months(start, 20), _add_months(start, 24)]
    keys = ["mobilization", "implementation", "self_check", "acceptance"]
    return start, cut[-1] - timedelta(days=1), {k: (cut[i], cut[i + 1] - timedelta(days=1)) for i, k in enumerate(keys)}


def _weighted(rng: random.Random, pairs):
    return rng.choices([k for k, _ in pairs], weights=[w for _, w in pairs])[0]


class Command(BaseCommand):
    help = "生成合成数据(单位树、创建周期、任务与任务分解),用于规模基准测试;只用于临时数据库"

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, required=True, help="单位数 N(含根单位 P)")
        parser.add_argument("--assignments", type=int, required=True, help="任务分解数 M(恰好 M 条)")
        parser.add_argument("--programme-name", default="", help="创建周期名称")
        parser.add_argument("--seed", type=int, default=1, help="随机种子(同样的参数生成同样的数据)")

    def handle(self, *args, **options):
        # DEBUG (development) logs every query with its parameters re-quoted: a quarter of
        # the load time at this scale, for a log nobody reads.
        with override_settings(DEBUG=False):
            self._handle(**options)

    def _handle(self, *, units: int, assignments: int, programme_name: str, seed: int, **options):
        if units < 3:
            raise CommandError("--units 至少为 3(根单位、一个市、一个县)")
        if assignments < 1:
            raise CommandError("--assignments 至少为 1")
        if Unit.objects.filter(code=ROOT_CODE).exists():
            raise CommandError(f"数据库中已有合成单位 {ROOT_CODE}:请换一个空的 FAZHI_VAR_DIR 重新 migrate 后再生成")
        t0 = time.perf_counter()
        rng = random.Random(seed)
        today = timezone.localdate()
        if connection.vendor == "sqlite":
            with connection.cursor() as c:  # this connection only: a faster bulk load
                c.execute("PRAGMA synchronous=OFF")
                c.execute("PRAGMA cache_size=-131072")
                c.execute("PRAGMA temp_store=MEMORY")

        root, unit_ids, bench_unit = self._units(units, rng)
        t_units = time.perf_counter()
        start, end, phases = programme_dates(today)
        name = programme_name or f"合成创建周期 {units} 单位 × {assignments} 分解 (seed {seed})"
        programme = services.programme_create(name=name, start=start, end=end, phases=phases)
        n_tasks = math.ceil(assignments / units)
        tasks = self._tasks(programme, n_tasks, rng, today)
        t_tasks = time.perf_counter()
        counts = self._assignments(programme, tasks, unit_ids, assignments, rng, today)
        t_asg = time.perf_counter()
        rss_asg = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        n_tallies = services.tallies_rebuild(programme)
        t_tally = time.perf_counter()
        office, unit_user = self._users(root, bench_unit)
        # No ANALYZE here: the application never runs it, so the bench measures the query
        # plans a real deployment gets (bench_programme.py --analyze adds it to compare).

        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        w = self.stdout.write
        w(f"programme #{programme.pk} 「{programme.name}」 {start}–{end}, today {today}")
        w(f"units:       {len(unit_ids)} (root {root.code}, cities {self._n_cities}, "
          f"counties/departments {len(unit_ids) - 1 - self._n_cities})  {t_units - t0:.1f}s")
        w(f"tasks:       {len(tasks)} over {len(CATEGORIES)} categories  {t_tasks - t_units:.1f}s")
        w(f"assignments: {sum(counts.values())}  " + " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
          + f"  overdue={self._overdue}  {t_asg - t_tasks:.1f}s (peak RSS so far {rss_asg:.0f} MB)")
        w(f"tallies:     {n_tallies} rows  {t_tally - t_asg:.1f}s")
        w(f"users:       {office.username} (office on {root.code}), {unit_user.username} (unit_admin on "
          f"{bench_unit.code} {bench_unit.path}); password {BENCH_PASSWORD}")
        w(f"done in {time.perf_counter() - t0:.1f}s, peak RSS {rss_mb:.0f} MB")

    # ------------------------------------------------------------ units

    def _units(self, n: int, rng: random.Random):
        root = Unit(code=ROOT_CODE, name="合成省", short_name="合成省", kind="government", sort_order=0)
        root.save()  # save() computes path "/P/" and depth 0
        n_cities = max(1, round(n / 50))
        n_leaves = n - 1 - n_cities
        self._n_cities = n_cities
        per_city = [n_leaves // n_cities + (1 if i < n_leaves % n_cities else 0) for i in range(n_cities)]
        seq = 0
        cities, leaves_of = [], []
        for i in range(n_cities):  # codes and sort order in tree (depth-first) order
            seq += 1
            code = f"G{seq:05d}"
            cities.append(Unit(code=code, name=f"合成市{i + 1:03d}", short_name=f"市{i + 1:03d}", kind="government",
                               parent=root, path=f"{root.path}{code}/", depth=1, sort_order=seq))
            leaves_of.append(list(range(seq + 1, seq + 1 + per_city[i])))
            seq += per_city[i]
        with transaction.atomic():
            Unit.objects.bulk_create(cities, batch_size=BATCH)
        ids = [root.pk] + [c.pk for c in cities]
        bench_unit_code = None
        for i, city in enumerate(cities):
            batch = []
            for j, s in enumerate(leaves_of[i]):
                code = f"G{s:05d}"
                kind = LEAF_KINDS[s % len(LEAF_KINDS)]
                label = {"department": "局", "town": "镇", "subdistrict": "街道"}[kind]
                batch.append(Unit(code=code, name=f"{city.name}{j + 1:03d}{label}", short_name=f"{city.short_name}-{j + 1}",
                                  kind=kind, parent=city, path=f"{city.path}{code}/", depth=2, sort_order=s,
                                  demonstration_key_unit=(s % 37 == 0)))
            with transaction.atomic():
                Unit.objects.bulk_create(batch, batch_size=BATCH)
            ids.extend(u.pk for u in batch)
            if i == n_cities // 2 and batch:
                bench_unit_code = batch[len(batch) // 2].code
        if bench_unit_code is None:  # every city empty (tiny N): fall back to a city
            bench_unit_code = cities[0].code
        return root, ids, Unit.objects.get(code=bench_unit_code)

    # ------------------------------------------------------------ tasks

    def _tasks(self, programme, n: int, rng: random.Random, today: date) -> list[dict]:
        ends = services.phase_ends(programme)
        objs = []
        for i in range(n):
            kind = KIND_CYCLE[i % len(KIND_CYCLE)]
            # The first task is always (组织领导, implementation): the bench's category & phase
            # filter then matches something at every size.
            due_phase = ("implementation" if i == 0 else _weighted(rng, PHASE_WEIGHTS)) if kind == DUE_PHASE else ""
            objs.append(Task(
                programme=programme, code=f"B{i + 1:05d}", category=CATEGORIES[i % len(CATEGORIES)],
                title=f"合成目标任务 {i + 1}", requirement="按要求完成并报送佐证材料。", responsible_spec="ALL",
                due_kind=kind, due_phase=due_phase,
                due_month_day=rng.choice(MONTH_DAYS) if kind == DUE_DATE else "",
                report_period=_weighted(rng, PERIOD_WEIGHTS) if kind == DUE_CONTINUOUS else "",
                evidence="工作方案、会议记录等"))
        with transaction.atomic():
            Task.objects.bulk_create(objs, batch_size=BATCH)
        tasks = []
        for t in objs:
            info = {"id": t.pk, "category": t.category, "phase": t.due_phase, "kind": t.due_kind}
            if t.due_kind == DUE_CONTINUOUS:
                seq = rules.periods(programme, t.report_period)
                cur = next((k for k, (_, end) in enumerate(seq) if end >= today), len(seq) - 1)
                info.update(periods=seq, current=cur)
            else:
                info["due"], _ = rules.first_due(t, programme, ends)
            tasks.append(info)
        return tasks

    # ------------------------------------------------------------ assignments

    def _assignments(self, programme, tasks, unit_ids, m: int, rng: random.Random, today: date) -> dict:
        """Exactly m (task, unit) pairs, task by task; each unit has a diligence that shifts
        its statuses, so some units lag (overdue) and some are ahead."""
        diligence = {u: rng.uniform(-0.15, 0.15) for u in unit_ids}
        tz = timezone.get_current_timezone()
        done_at = {}
        counts = {s: 0 for s in (NOT_STARTED, IN_PROGRESS, SUBMITTED, RETURNED, DONE)}
        self._overdue = 0
        batch, made = [], 0
        rand = rng.random

        def flush():
            with transaction.atomic():
                Assignment.objects.bulk_create(batch)
            batch.clear()

        for t in tasks:
            for u in unit_ids:
                if made == m:
                    break
                made += 1
                r = min(max(rand() - diligence[u], 0.0), 0.999)
                label = ""
                if t["kind"] == DUE_CONTINUOUS:
                    lag = 0 if r < 0.75 else 1 if r < 0.92 else 2
                    k = max(t["current"] - lag, 0)
                    label, due = t["periods"][k]
                    s = rand()
                    if due < today:
                        status = SUBMITTED if s < 0.2 else RETURNED if s < 0.4 else IN_PROGRESS if s < 0.85 else NOT_STARTED
                    else:
                        status = SUBMITTED if s < 0.2 else RETURNED if s < 0.3 else IN_PROGRESS if s < 0.85 else NOT_STARTED
                else:
                    due = t["due"]
                    if due < today:
                        status = (DONE if r < 0.72 else SUBMITTED if r < 0.80 else RETURNED if r < 0.85
                                  else IN_PROGRESS if r < 0.94 else NOT_STARTED)
                    else:
                        status = (DONE if r < 0.05 else SUBMITTED if r < 0.12 else RETURNED if r < 0.17
                                  else IN_PROGRESS if r < 0.55 else NOT_STARTED)
                completed = None
                if status == DONE:
                    completed = done_at.get(due)
                    if completed is None:
                        completed = done_at[due] = datetime.combine(due - timedelta(days=3), dtime(17), tzinfo=tz)
                counts[status] += 1
                if due < today and status in (NOT_STARTED, IN_PROGRESS, RETURNED):
                    self._overdue += 1
                batch.append(Assignment(task_id=t["id"], unit_id=u, programme_id=programme.pk, category=t["category"],
                                        phase=t["phase"], is_lead=rand() < 0.02, status=status, due=due,
                                        period_label=label, completed_at=completed))
                if len(batch) >= BATCH:
                    flush()
            if made == m:
                break
        if batch:
            flush()
        return counts

    # ------------------------------------------------------------ users

    def _users(self, root: Unit, unit: Unit):
        made = []
        for username, full_name, on, role in [(BENCH_OFFICE, "基准 法制办", root, OFFICE),
                                              (BENCH_UNIT, "基准 单位管理员", unit, UNIT_ADMIN)]:
            user, _ = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
            user.set_password(BENCH_PASSWORD)
            user.save()
            role_grant(user=user, unit=on, role=role)
            made.append(user)
        return made
