from django.core.management.base import BaseCommand
from django.utils import timezone

from fazhi.core.scoping import Scope


class _System:
    """The command reads the work list over every unit (the scope of the office)."""

    is_authenticated = is_active = is_superuser = True
    pk = None
    _fazhi_scope = Scope(all_units=True, unit_paths=(), roles=frozenset(), is_sysadmin=True)


class Command(BaseCommand):
    help = ("记录新近逾期的任务和期限(每个届满日一次),并按统一待办清单汇总各模块的待办、逾期和临期事项。"
            "建议每天运行一次。")

    def handle(self, *args, **options):
        from fazhi.deadlines import worklist
        from fazhi.deadlines.services import deadlines_overdue_record
        from fazhi.programme.services import overdue_record

        today = timezone.localdate()
        tasks = overdue_record(today=today)
        clocks = deadlines_overdue_record(today=today)
        from fazhi.normdocs.services import expire_due

        expired = expire_due(today=today)  # validity ended: 失效, with history
        if expired:
            self.stdout.write(f"规范性文件有效期届满失效 {expired} 件")
        self.stdout.write(f"新记录逾期事件 {tasks + clocks} 条(逾期任务 {tasks}, 逾期期限 {clocks})")
        total = worklist.worklist_counts(user=_System(), today=today)
        self.stdout.write(f"统一待办清单: 待办 {total['open']} 项, 逾期 {total['overdue']} 项, 临期 {total['due_soon']} 项")
        for source in worklist.SOURCES.values():
            n = source.counts(_System(), today, None)
            self.stdout.write(f"  {source.label}: 待办 {n['open']}, 逾期 {n['overdue']}, 临期 {n['due_soon']}")
