"""`fazhi gen_enforcement`: a synthetic province of 行政执法 for the scale benchmark (bench/bench_enforcement.py).

N units (the same tree, codes and bench users as `fazhi gen`, without its programme), one qualified and announced
enforcement subject per county/department unit (plus a few pending ones), officers with certificates (valid,
expiring within 60 days, expired), two published licence items per unit, then exactly M cases: ≈70 % penalty,
≈30 % licence, over the 12 key areas and every status, with the stored clocks the services keep on them
(deadlines.Deadline + their open/close ClockEvents: open ones, some past due) and the publication of every
decision (published, a few still due). Rows are written with bulk_create in batches, so memory stays bounded
at M = 1,000,000. Synthetic data only: it refuses unless asked with --scratch, with DEBUG on and no unit in the
database yet (scratch_refusal) — run it against a fresh scratch database (FAZHI_VAR_DIR=/tmp/…), never production.

Not generated (no measured page reads them): procedure runs and steps, case officers (PenaltyOfficer), payments,
acts, event records and history rows, and the numbering counters (so a real 立案 on this database would collide
with a generated number — another reason it is a scratch database).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
import random
import resource
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from fazhi.deadlines.models import ClockEvent, Deadline
from fazhi.deadlines.services import clock_replay, work_calendar
from fazhi.enforcement.licence import models as lm
from fazhi.enforcement.licence import rules as lrules
from fazhi.enforcement.penalty import models as pm
from fazhi.enforcement.penalty import rules as prules
from fazhi.enforcement.publication import models as pubm
from fazhi.enforcement.subjects import models as sm
from fazhi.org.models import KeyArea, Unit
from fazhi.programme.management.commands.gen import ROOT_CODE
from fazhi.programme.management.commands.gen import Command as UnitsGen

BATCH = 5000
YEARS_BACK = 3  # cases filed (received) over the last three years
OFFICERS_PER_SUBJECT = 5
PENALTY_SHARE = 0.7
CAUSES = ["未取得许可从事经营活动", "超范围经营", "未按规定公示信息", "违反安全生产规定", "违规排放污染物",
          "销售不合格产品", "违法占用土地", "未按规定处置建筑垃圾"]
MEASURE_SETS = [["warning"], ["fine"], ["fine"], ["fine", "confiscate_income"], ["fine"], ["warning", "fine"]]


def _weighted(rng: random.Random, pairs):
    r, acc = rng.random(), 0.0
    for value, w in pairs:
        acc += w
        if r < acc:
            return value
    return pairs[-1][0]


# Status by the case's age (days since filing): the young ones under way, old ones mostly closed, a few stuck past
# their period (the overdue ones). Weights sum to 1.
PENALTY_BY_AGE = [
    (30, [(pm.INVESTIGATING, .6), (pm.INVESTIGATED, .2), (pm.NOTIFIED, .15), (pm.HEARING, .05)]),
    (90, [(pm.INVESTIGATING, .25), (pm.INVESTIGATED, .1), (pm.NOTIFIED, .15), (pm.HEARING, .05), (pm.DECIDED, .1),
          (pm.SERVED, .2), (pm.EXECUTED, .05), (pm.CLOSED, .1)]),
    (None, [(pm.INVESTIGATING, .03), (pm.NOTIFIED, .02), (pm.HEARING, .01), (pm.DECIDED, .01), (pm.SERVED, .05),
            (pm.EXECUTED, .03), (pm.CLOSED, .85)]),
]
LICENCE_BY_AGE = [
    (7, [(lm.RECEIVED, .5), (lm.CORRECTING, .2), (lm.REVIEWING, .3)]),
    (30, [(lm.REVIEWING, .3), (lm.CORRECTING, .1), (lm.DECIDED, .3), (lm.CLOSED, .25), (lm.NOT_ACCEPTED, .05)]),
    (None, [(lm.REVIEWING, .02), (lm.CORRECTING, .02), (lm.DECIDED, .03), (lm.CLOSED, .88), (lm.NOT_ACCEPTED, .05)]),
]
P_ORDER = [s for s, _ in pm.STATUSES]


def scratch_refusal(*, scratch: bool) -> None:
    """The command writes a synthetic province and an office user with the fixed bench password: only into a scratch
    database — asked for (--scratch), a development or test setup (DEBUG on; production runs with DEBUG off) and no
    unit there yet (a database with real units is not a scratch one)."""
    if not scratch:
        raise CommandError("请加 --scratch 确认当前数据库是临时数据库(FAZHI_VAR_DIR=/tmp/…):本命令写入合成数据和 bench 用户")
    if not settings.DEBUG:
        raise CommandError("DEBUG 未开启:本命令只用于开发或测试环境的临时数据库(FAZHI_ENV=development),不能在生产环境运行")
    if Unit.objects.exists():
        raise CommandError("数据库中已有单位:本命令只写入没有任何单位的临时数据库,请换一个空的 FAZHI_VAR_DIR 重新 migrate 后再生成")


def _by_age(table, age: int):
    for limit, weights in table:
        if limit is None or age < limit:
            return weights
    raise AssertionError


class Command(BaseCommand):
    help = "生成合成的行政执法数据(单位树、执法主体、执法人员、处罚与许可案件、期限、公开),用于规模基准测试;只用于临时数据库"

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, required=True, help="单位数 N(含根单位 P),与 fazhi gen 的单位树相同")
        parser.add_argument("--cases", type=int, required=True, help="案件数 M(约 70% 行政处罚、30% 行政许可)")
        parser.add_argument("--seed", type=int, default=1, help="随机种子(同样的参数生成同样的数据)")
        parser.add_argument("--scratch", action="store_true",
                            help="必填:确认当前数据库是临时数据库(合成数据和 bench 用户会写入其中)")

    def handle(self, *args, **options):
        scratch_refusal(scratch=options.get("scratch", False))
        with override_settings(DEBUG=False):  # DEBUG logs every INSERT with its parameters re-quoted
            self._handle(**options)

    def _handle(self, *, units: int, cases: int, seed: int, **options):
        if units < 3:
            raise CommandError("--units 至少为 3(根单位、一个市、一个县)")
        if cases < 1:
            raise CommandError("--cases 至少为 1")
        if Unit.objects.filter(code=ROOT_CODE).exists() or pm.PenaltyCase.objects.exists():
            raise CommandError(f"数据库中已有合成单位 {ROOT_CODE} 或行政处罚案件:请换一个空的 FAZHI_VAR_DIR 重新 migrate 后再生成")
        if KeyArea.objects.filter(active=True).count() == 0:
            raise CommandError("没有重点执法领域(org.KeyArea):请先运行 fazhi migrate")
        t0 = time.perf_counter()
        self.rng = rng = random.Random(seed)
        self.today = timezone.localdate()
        if connection.vendor == "sqlite" and not connection.in_atomic_block:  # (a test's transaction: leave it)
            with connection.cursor() as c:  # this connection only: a faster bulk load
                c.execute("PRAGMA synchronous=OFF")
                c.execute("PRAGMA cache_size=-131072")
                c.execute("PRAGMA temp_store=MEMORY")
        # The unit tree and the two bench users of `fazhi gen` (same codes, same bench-unit), so both benches
        # describe the same province; its programme is not made.
        units_gen = UnitsGen()
        root, _, bench_unit = units_gen._units(units, rng)
        self.office, self.unit_user = units_gen._users(root, bench_unit)
        self.areas = list(KeyArea.objects.filter(active=True).order_by("sort_order", "code"))
        t_units = time.perf_counter()
        leaves = self._subjects()
        t_subjects = time.perf_counter()
        self.ct = {m: ContentType.objects.get_for_model(m) for m in (pm.PenaltyCase, lm.LicenceCase, pubm.Publication)}
        self._explained = {}
        self.calendar = work_calendar()
        self.ins = {model: Inserter(model) for model in (pm.PenaltyCase, lm.LicenceCase, pubm.Publication, Deadline,
                                                         ClockEvent)}
        self.counts = {"deadlines": 0, "events": 0, "publications": 0, "overdue_clocks": 0}
        n_penalty = round(cases * PENALTY_SHARE) if cases > 1 else cases
        p_status = self._cases(leaves, n_penalty, pm.PenaltyCase, self._penalty)
        t_penalty = time.perf_counter()
        l_status = self._cases(leaves, cases - n_penalty, lm.LicenceCase, self._licence)
        t_licence = time.perf_counter()
        for ins in self.ins.values():
            ins.finish()

        w = self.stdout.write
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        w(f"today {self.today}; units {units} (bench-unit {bench_unit.code}), subjects/officers/items in "
          f"{len(leaves)} units  {t_subjects - t0:.1f}s (units {t_units - t0:.1f}s)")
        w(f"penalty cases: {n_penalty}  " + " ".join(f"{k}={v}" for k, v in p_status.items())
          + f"  {t_penalty - t_subjects:.1f}s")
        w(f"licence cases: {cases - n_penalty}  " + " ".join(f"{k}={v}" for k, v in l_status.items())
          + f"  {t_licence - t_penalty:.1f}s")
        w("clocks: " + " ".join(f"{k}={v}" for k, v in self.counts.items()))
        w(f"users: {self.office.username} (office on {root.code}), {self.unit_user.username} (unit_admin on "
          f"{bench_unit.code})")
        w(f"done in {time.perf_counter() - t0:.1f}s, peak RSS {rss:.0f} MB")

    # ------------------------------------------------------------ subjects, officers, items

    def _subjects(self) -> list[dict]:
        """One qualified, announced subject per county/department unit (every 40th also has a pending one),
        officers with a certificate each (some expiring, some expired), two published licence items."""
        rng, today, office = self.rng, self.today, self.office
        rows = list(Unit.objects.filter(depth=2).order_by("sort_order").values_list("id", "code", "name", "short_name"))
        units = {u[0]: Unit(id=u[0], code=u[1], name=u[2], short_name=u[3]) for u in rows}
        subjects, pending = [], []
        for uid, _, name, _ in rows:
            subjects.append(sm.EnforcementSubject(
                unit_id=uid, name=f"{name}", kind=sm.STATUTORY, basis="《合成法》第十条", review_status=sm.QUALIFIED,
                reviewed_on=today - timedelta(days=800), reviewed_by=office, announced_on=today - timedelta(days=790),
                announcement_ref=f"合成公告〔{today.year - 2}〕{len(subjects) + 1}号", created_by=office))
            if len(subjects) % 40 == 0:
                pending.append(sm.EnforcementSubject(unit_id=uid, name=f"{name}执法大队", basis="《合成法》第十一条",
                                                     review_status=sm.PENDING, created_by=office))
        with transaction.atomic():
            sm.EnforcementSubject.objects.bulk_create(subjects + pending, batch_size=BATCH)
            through = sm.EnforcementSubject.key_areas.through
            links, leaves = [], []
            for i, s in enumerate(subjects):
                areas = [self.areas[(i + k) % len(self.areas)] for k in range(3)]
                links += [through(enforcementsubject_id=s.pk, keyarea_id=a.pk) for a in areas]
                leaves.append({"unit": units[s.unit_id], "subject": s.pk, "areas": [a.pk for a in areas]})
            through.objects.bulk_create(links, batch_size=BATCH)
            officers = [sm.Officer(unit_id=s.unit_id, subject_id=s.pk, name=f"执法员{i:06d}{k}",
                                   staff_number=f"E{i:06d}{k}", post="执法人员", created_by=office)
                        for i, s in enumerate(subjects) for k in range(OFFICERS_PER_SUBJECT)]
            sm.Officer.objects.bulk_create(officers, batch_size=BATCH)
            certs = []
            for n, o in enumerate(officers):
                r = rng.random()
                if r < 0.05:  # expiring within the 60 days
                    issued, expires = today - timedelta(days=1800), today + timedelta(days=rng.randint(1, 59))
                elif r < 0.09:  # expired, not renewed
                    issued, expires = today - timedelta(days=2000), today - timedelta(days=rng.randint(1, 200))
                else:
                    issued, expires = today - timedelta(days=rng.randint(30, 1500)), today + timedelta(days=800)
                certs.append(sm.Certificate(officer_id=o.pk, unit_id=o.unit_id, number=f"合成执{n:08d}",
                                            issued_by="合成省人民政府", issued_on=issued, expires_on=expires,
                                            reviewed_year=today.year - 1))
            sm.Certificate.objects.bulk_create(certs, batch_size=BATCH)
            items = []
            for leaf in leaves:
                for k in range(2):
                    items.append(lm.LicenceItem(
                        unit_id=leaf["unit"].pk, subject_id=leaf["subject"], code=f"XK-{leaf['unit'].code}-{k + 1}",
                        name=f"合成许可事项{k + 1}", basis_kind=lm.LAW, basis="《合成法》第二十条",
                        conditions="符合法定条件", procedure="申请、受理、审查、决定", materials="申请书\n营业执照",
                        status=lm.ITEM_PUBLISHED, published_on=today - timedelta(days=1200), created_by=office))
            lm.LicenceItem.objects.bulk_create(items, batch_size=BATCH)
            for k, leaf in enumerate(leaves):
                leaf["items"] = [items[2 * k].pk, items[2 * k + 1].pk]
        self.n_officers, self.n_subjects = len(officers), len(subjects) + len(pending)
        return leaves

    # ------------------------------------------------------------ cases

    def _cases(self, leaves, n: int, model, make) -> dict:
        """n cases, in batches: each batch writes its cases, then their clocks and events, then the publications of
        the decided ones with their clocks and events, in one transaction."""
        counts: dict[str, int] = {}
        seqs: dict[int, int] = {}
        span = 365 * YEARS_BACK
        rng, made = self.rng, 0
        while made < n:
            size = min(BATCH, n - made)
            cases, clocks, pubs = [], [], []
            for _ in range(size):
                leaf = leaves[rng.randrange(len(leaves))]
                age = rng.randrange(span)
                filed = self.today - timedelta(days=age)
                seqs[filed.year] = seq = seqs.get(filed.year, 0) + 1
                case, case_clocks, pub = make(leaf, filed, age, seq)
                counts[case["status"]] = counts.get(case["status"], 0) + 1
                cases.append(case)
                clocks += case_clocks
                if pub is not None:
                    pubs.append(pub)
            with transaction.atomic():
                self.ins[model].write(cases)
                self.ins[pubm.Publication].write(pubs)
                for p in pubs:
                    clocks.append((self.ct[pubm.Publication], p["id"], p["unit_id"], pubm.PUBLISH_CLOCK, p["rule"],
                                   p["decided_on"], p["published_on"]))
                self._write_clocks(clocks)
                self.counts["publications"] += len(pubs)
            made += size
        return {s: counts[s] for s in sorted(counts, key=lambda s: P_ORDER.index(s) if s in P_ORDER else 99)}

    def _penalty(self, leaf, filed: date, age: int, seq: int):
        rng, unit = self.rng, leaf["unit"]
        simple = rng.random() < 0.1
        status = pm.CLOSED if simple else _weighted(rng, _by_age(PENALTY_BY_AGE, age))
        person = rng.random() < 0.6
        measures = rng.choice(MEASURE_SETS)
        fine = Decimal(rng.choice([50, 200, 500, 2000, 5000, 20000, 100000])) if "fine" in measures else None
        cause = rng.choice(CAUSES)
        c = {"id": self.ins[pm.PenaltyCase].take(), "unit_id": unit.pk, "procedure_kind": pm.SIMPLE if simple else pm.GENERAL,
             "subject_id": leaf["subject"], "key_area_id": rng.choice(leaf["areas"]), "number_year": filed.year,
             "number_seq": seq, "number": prules.case_number(unit, filed.year, seq), "source": rng.choice(pm.SOURCES)[0],
             "party_name": (f"合成当事人{seq}" if person else f"合成商贸有限公司{seq}"),
             "party_kind": pm.PERSON if person else pm.LEGAL, "party_id_number": "11010519800101123X" if person else "",
             "party_address": "合成市合成路1号", "cause": cause, "found_on": filed - timedelta(days=rng.randint(0, 5)),
             "filed_on": filed, "facts": f"当事人{cause}。", "measures": measures, "fine_amount": fine, "status": status,
             "created_by_id": self.office.pk}
        # Each step's date: spread over the time the case has had, decided within its 90 days.
        room = min(age, 85)
        steps = sorted(rng.randint(0, room) for _ in range(4)) if room else [0, 0, 0, 0]
        clocks, pub = [], None
        reached = P_ORDER.index(status)
        if reached >= P_ORDER.index(pm.INVESTIGATED):
            c["investigated_on"] = filed + timedelta(days=steps[0])
        if reached >= P_ORDER.index(pm.NOTIFIED) and not simple:
            c["notified_on"] = filed + timedelta(days=steps[1])
            c["hearing_qualifies"] = c["hearing_notified"] = bool(fine and fine >= 10000)
        decided = served = executed = None
        if reached >= P_ORDER.index(pm.DECIDED):
            decided = c["decided_on"] = filed if simple else filed + timedelta(days=steps[2])
            c["decision_year"], c["decision_seq"] = decided.year, seq
            c["decision_number"] = prules.decision_number(unit, decided.year, seq)
            c["decision_late"] = False
            c["remedy_notice"] = "如不服本决定,可依法申请行政复议或者提起行政诉讼。"
            pub = self._publication(c, self.ct[pm.PenaltyCase], prules.PUBLICIZE_RULE, "penalty",
                                    f"行政处罚决定:{cause}", c["decision_number"], person, c["party_name"])
        if reached >= P_ORDER.index(pm.SERVED):
            served = c["served_on"] = min(decided + timedelta(days=rng.randint(0, 3)), self.today)
        if reached >= P_ORDER.index(pm.EXECUTED):
            executed = c["executed_on"] = min(served + timedelta(days=rng.randint(1, 14)), self.today)
        if status == pm.CLOSED:
            c["closed_on"] = min(executed + timedelta(days=rng.randint(0, 5)), self.today)
            c["close_outcome"] = pm.PERFORMED
        ct = self.ct[pm.PenaltyCase]
        if not simple:
            clocks.append((ct, c["id"], unit.pk, prules.clock_purpose(prules.DECIDE), prules.CLOCK_RULES[prules.DECIDE],
                           filed, decided))
        if fine and served:
            clocks.append((ct, c["id"], unit.pk, prules.clock_purpose(prules.PAY_FINE),
                           prules.CLOCK_RULES[prules.PAY_FINE], served, executed))
        return c, clocks, pub

    def _licence(self, leaf, received: date, age: int, seq: int):
        rng, unit = self.rng, leaf["unit"]
        status = _weighted(rng, _by_age(LICENCE_BY_AGE, age))
        person = rng.random() < 0.3
        c = {"id": self.ins[lm.LicenceCase].take(), "unit_id": unit.pk, "item_id": rng.choice(leaf["items"]),
             "subject_id": leaf["subject"], "number_year": received.year, "number_seq": seq,
             "number": lrules.case_number(unit, received.year, seq),
             "applicant_name": f"合成申请人{seq}" if person else f"合成实业有限公司{seq}",
             "applicant_kind": "person" if person else "legal_person", "applicant_code": "91110000MA00000000",
             "applicant_contact": "13800000000", "matter": "申请办理合成许可", "received_on": received, "status": status,
             "created_by_id": self.office.pk}
        ct = self.ct[lm.LicenceCase]

        def clock(purpose, start, closed):
            clocks.append((ct, c["id"], unit.pk, lrules.clock_purpose(purpose), lrules.CLOCK_RULES[purpose], start,
                           closed))

        room = min(age, 25)
        steps = sorted(rng.randint(0, room) for _ in range(3)) if room else [0, 0, 0]
        clocks, pub = [], None
        if status == lm.RECEIVED:
            clock(lrules.NOTIFY, received, None)
            return c, clocks, pub
        if status == lm.CORRECTING:
            c["correction_notice_on"] = received + timedelta(days=min(steps[0], 4))
            c["correction_materials"] = "补正营业执照复印件"
            c["correction_notice_late"] = False
            clock(lrules.NOTIFY, received, c["correction_notice_on"])
            return c, clocks, pub
        if status == lm.NOT_ACCEPTED:
            c["not_accepted_reason"] = "申请事项依法不需要取得行政许可"
            c["closed_on"] = received + timedelta(days=min(steps[0], 4))
            clock(lrules.NOTIFY, received, c["closed_on"])
            return c, clocks, pub
        accepted = c["accepted_on"] = received + timedelta(days=min(steps[0], 4))
        clock(lrules.NOTIFY, received, accepted)
        if status == lm.REVIEWING:
            clock(lrules.DECIDE, accepted, None)
            return c, clocks, pub
        decided = c["reviewed_on"] = c["decided_on"] = received + timedelta(days=max(steps[1], min(steps[0], 4)))
        grant = rng.random() < 0.9
        c["outcome"] = lm.GRANT if grant else lm.DENY
        c["decision_number"] = lrules.decision_number(unit, decided.year, seq)
        c["decision_late"] = False
        c["remedy_notice"] = "如不服本决定,可依法申请行政复议或者提起行政诉讼。"
        clock(lrules.DECIDE, accepted, decided)
        issued = None
        if grant:
            pub = self._publication(c, ct, lrules.PUBLICIZE_RULE, "licence", "准予行政许可决定:合成许可事项",
                                    c["decision_number"], person, c["applicant_name"])
            if status == lm.CLOSED:
                issued = min(decided + timedelta(days=rng.randint(0, 7)), self.today)
                c.update(certificate_number=f"合成许证{c['id']}", certificate_issued_on=issued,
                         certificate_valid_from=issued, certificate_valid_until=issued + timedelta(days=5 * 365),
                         certificate_late=False)
            clock(lrules.CERTIFICATE, decided, issued)
        if status == lm.CLOSED:
            c["closed_on"] = issued or decided
        return c, clocks, pub

    def _publication(self, case: dict, ct, rule: str, kind: str, title: str, number: str, person: bool, party: str):
        """The publication the services open at the decision: published within a few days, the recent ones
        (a week or less) sometimes still due."""
        decided = case["decided_on"]
        p = {"id": self.ins[pubm.Publication].take(), "unit_id": case["unit_id"], "content_type_id": ct.pk,
             "object_id": str(case["id"]), "rule": rule, "kind": kind, "title": title[:200], "document_number": number,
             "party_kind": pubm.PERSON if person else pubm.LEGAL_PERSON,
             "party_masked": (party[0] + "**") if person else party, "summary_masked": f"{title}。",
             "decided_on": decided, "created_by_id": self.office.pk, "published_on": None}
        if (self.today - decided).days <= 7 and self.rng.random() < 0.5:
            return p
        p.update(state=pubm.PUBLISHED, published_on=min(decided + timedelta(days=self.rng.randint(0, 5)), self.today),
                 published_late=False, published_by_id=self.office.pk)
        return p

    # ------------------------------------------------------------ clocks

    def _explain(self, rule_id: str, start: date):
        """Due date and explanation of a clock opened on `start`, from the engine (cached per rule and day:
        the engine stays the only place that computes a date). A closed clock keeps the numbers without the
        rule's texts and day-by-day lines (1 KB a row: 3 GB of clocks at a million cases; no measured page reads
        them, and every open clock keeps its full explanation)."""
        key = (rule_id, start)
        found = self._explained.get(key)
        if found is None:
            state = clock_replay(Deadline(rule_id=rule_id, start=start, period=0),
                                 [ClockEvent(kind=ClockEvent.OPEN, on=start)], calendar=self.calendar)
            years = sorted(state.computation.years)
            data = state.as_dict()
            brief = {k: data[k] for k in ("rule", "mode", "period", "start", "due", "provisional") if k in data}
            found = self._explained[key] = (state.computation, years[0], years[-1], data, brief)
        return found

    def _write_clocks(self, clocks: list[tuple]) -> None:
        """Deadline rows as deadline_open/deadline_close leave them, with their open (and close) events."""
        deadlines, events = [], []
        d_ins, e_ins = self.ins[Deadline], self.ins[ClockEvent]
        for ct, object_id, unit_id, purpose, rule_id, start, closed_on in clocks:
            comp, first, last, data, brief = self._explain(rule_id, start)
            d = {"id": d_ins.take(), "unit_id": unit_id, "content_type_id": ct.pk, "object_id": str(object_id),
                 "purpose": purpose, "rule_id": rule_id, "start": start, "period": comp.period, "due": comp.due,
                 "provisional": comp.provisional, "first_year": first, "last_year": last}
            events.append({"id": e_ins.take(), "deadline_id": d["id"], "kind": ClockEvent.OPEN, "on": start})
            if closed_on is None:
                d["explanation"] = data
                if comp.due < self.today:
                    self.counts["overdue_clocks"] += 1
            else:
                late = closed_on > comp.due
                d.update(status=Deadline.MET, closed_on=closed_on, late=late,
                         explanation={**brief, "closed_on": closed_on.isoformat(), "late": late})
                events.append({"id": e_ins.take(), "deadline_id": d["id"], "kind": ClockEvent.CLOSE, "on": closed_on,
                               "met": True})
            deadlines.append(d)
        d_ins.write(deadlines)
        e_ins.write(events)
        self.counts["deadlines"] += len(deadlines)
        self.counts["events"] += len(events)


class Inserter:
    """INSERT of plain dicts into a model's table with executemany: a model instance and bulk_create's per-value
    preparation cost more than the database at a million rows. Ids are taken here (one writer: the scratch
    database), every field not given gets its model default, values are adapted as the backend's Field would."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        quote = connection.ops.quote_name
        cols = ", ".join(quote(f.column) for f in self.fields)
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({cols}) VALUES ({', '.join(['%s'] * len(self.fields))})"
        self.next_id = (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.written = 0
        now = timezone.now()
        self.plan = []  # (attname, constant default or None, per-row default or None, adapter or None)
        ops = connection.ops
        for f in self.fields:
            kind = f.get_internal_type()
            adapt = None
            if kind == "JSONField":
                adapt = lambda v, f=f: f.get_db_prep_save(v, connection)  # noqa: E731
            elif kind == "DecimalField":
                adapt = lambda v, f=f: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places)  # noqa: E731
            elif kind == "DateField":
                adapt = ops.adapt_datefield_value
            elif kind == "DateTimeField":
                adapt = ops.adapt_datetimefield_value
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.plan.append((f.attname, now, None, adapt))
            elif f.has_default() and callable(f.default):
                self.plan.append((f.attname, None, f.get_default, adapt))
            else:
                self.plan.append((f.attname, None if f.primary_key else f.get_default(), None, adapt))

    def take(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        params = []
        for row in rows:
            values = []
            for name, default, make, adapt in self.plan:
                v = row[name] if name in row else (make() if make else default)
                values.append(adapt(v) if adapt is not None and v is not None else v)
            params.append(values)
        with connection.cursor() as c:
            c.executemany(self.sql, params)
        self.written += len(rows)

    def finish(self) -> None:
        """PostgreSQL: move the id sequence past the ids written here."""
        from django.core.management.color import no_style

        with connection.cursor() as c:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                c.execute(sql)
