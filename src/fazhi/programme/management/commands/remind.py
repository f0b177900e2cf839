from django.core.management.base import BaseCommand
from django.utils import timezone

from fazhi.programme.services import overdue_record


class Command(BaseCommand):
    help = "记录新近逾期的任务(每个完成时限一次),供单位、法制办和变更历史查看。建议每天运行一次。"

    def handle(self, *args, **options):
        n = overdue_record(today=timezone.localdate())
        self.stdout.write(f"新记录逾期事件 {n} 条")
