import json as jsonlib
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.errors import InvalidInput
from fazhi.deadlines.engine import InvalidClock, parse_pause
from fazhi.deadlines.services import deadline_compute


class Command(BaseCommand):
    help = ("计算法定期限: fazhi deadline RULE_ID YYYY-MM-DD [--pause FROM/TO …] [--extend N] [--json]。"
            "第一行为届满日。")

    def add_arguments(self, parser):
        parser.add_argument("rule", help="规则编号,如 reconsideration.accept")
        parser.add_argument("start", help="起算日(事件发生日),YYYY-MM-DD")
        parser.add_argument("--pause", action="append", default=[], metavar="FROM/TO",
                            help="中止期间,起止两日均不计入,可重复,如 2026-02-10/2026-02-20")
        parser.add_argument("--extend", metavar="N", help="经批准延长的日数(或工作日数),不超过该规则的最长延长期限")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args, rule, start, **options):
        try:
            start_date = date.fromisoformat(start)
        except ValueError:
            raise CommandError(f"日期格式错误「{start}」: 请使用 YYYY-MM-DD,如 2026-03-01", returncode=2) from None
        extend = options["extend"]
        if extend is not None:
            if not extend.strip().isdecimal():
                raise CommandError(f"--extend 应为正整数(延长的日数),收到「{extend}」", returncode=2)
            extend = int(extend)
        try:
            pauses = tuple(parse_pause(p) for p in options["pause"])
        except InvalidClock as e:
            raise CommandError(f"--pause: {e}", returncode=2) from None
        try:
            result = deadline_compute(rule, start_date, pauses=pauses, extend=extend)
        except InvalidInput as e:
            raise CommandError(e.message, returncode=2) from None
        if options["json"]:
            self.stdout.write(_json_dumps(result.as_dict()))
            return
        self.stdout.write(result.due.isoformat())
        for line in result.explanation:
            self.stdout.write(line)


def _json_dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
