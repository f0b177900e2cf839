from django.core.management.base import BaseCommand
from django.utils import timezone

from fazhi.decisions import demo as decisions_demo
from fazhi.enforcement import demo as enforcement_demo
from fazhi.normdocs import demo as normdocs_demo
from fazhi.org import demo as org_demo
from fazhi.org.demo import DEMO_PASSWORD
from fazhi.portal import demo as portal_demo
from fazhi.programme import demo as programme_demo
from fazhi.programme.services import overdue_record
from fazhi.remedies.litigation import demo as litigation_demo
from fazhi.remedies.reconsideration import demo as reconsideration_demo


class Command(BaseCommand):
    help = "载入演示数据(可重复运行,不会产生重复记录)"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="不打印演示账号")

    def handle(self, *args, quiet=False, **options):
        logins = org_demo.load()
        programme = programme_demo.load()
        suggestions = portal_demo.load(programme)
        normdocs_demo.load()
        decisions_demo.load()
        portal_demo.consultations_load(programme)
        reconsideration_demo.load()
        litigation_demo.load()
        enforcement_demo.load()
        overdue_record(today=timezone.localdate())  # what the daily `fazhi remind` would have written
        if quiet:
            return
        self.stdout.write(f"演示数据已载入。演示账号(密码均为 {DEMO_PASSWORD}):")
        for username, label in logins:
            self.stdout.write(f"  {username:<10} {label}")
        replied = [s for s in suggestions if getattr(s, "query_code", None) and s.reply_published]
        for s in replied:  # the query code exists only now: its hash is all that is kept
            self.stdout.write(f"公众服务 /public/track/ 演示查询: 受理编号 {s.tracking_no} 查询码 {s.query_code}")
