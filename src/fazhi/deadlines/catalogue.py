"""Every legal period Fazhi computes, as data (deadlines.md's table, in one place).

Pure Python: no Django import, so the engine can be used and tested anywhere.

Bases checked against the statute text as far as known (the bases below are kept
exactly as the table gives them; these are flags for the office's legal staff):

- ``decision.hearing_materials``: 重大行政决策程序暂行条例 puts the 7-day rule
  ("听证会材料应当于召开听证会7日前送达听证参加人") in 第17条, as far as recalled;
  第18条 lists the hearing procedure. The rule is also about *serving* the
  materials on the participants, not publishing them. Not verified against an
  official text, so the table's "第18条" is kept.
- Several workday rules cite only the article setting the period, not the one
  making it a working-day period: ``penalty.serve_absent`` (第61条),
  ``penalty.hand_over_cash`` (第71条), ``penalty.withdraw_publication`` (第48条)
  rely on 行政处罚法 第85条; ``reconsideration.correction_notice``,
  ``reconsideration.correction``, ``reconsideration.send_copy``,
  ``reconsideration.send_copy_simple``, ``reconsideration.reply_simple`` and
  ``reconsideration.hearing_notice`` rely on 行政复议法 第88条;
  ``licence.extend`` and ``licence.issue_certificate`` rely on 行政许可法 第82条.
  Not wrong, only incomplete; the counting mode already follows those articles.
- The other statutory bases (行政复议法 2023 第20/30/31/48/51/54/62/88条,
  行政处罚法 2021 第48/60/61/64/67/71/72/85条, 行政许可法 第32/42/44/82条,
  行政诉讼法 第45/46/67条, 重大行政决策程序暂行条例 第15/27条) match the text as known.
- The table's "the plan" is rendered 工作方案 in the Chinese bases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final

MODES: Final = frozenset({"days", "workdays", "months", "days_before", "workdays_before", "fixed_date"})
FORWARD_MODES: Final = frozenset({"days", "workdays", "months"})
BEFORE_MODES: Final = frozenset({"days_before", "workdays_before"})
WORKDAY_MODES: Final = frozenset({"workdays", "workdays_before"})


class UnknownRule(KeyError):
    """Rule id not in the catalogue."""

    def __str__(self) -> str:  # KeyError would repr() the message, quotes and all
        return str(self.args[0]) if self.args else "未知的期限规则"


@dataclass(frozen=True)
class Rule:
    id: str
    trigger: str
    act: str
    period: int
    mode: str
    basis: str
    configurable: bool
    note: str = ""
    fixed_month: int | None = None
    fixed_day: int | None = None
    # The Chinese name users read; `id` stays the stable code for the API, CLI and records.
    name: str = ""
    # Id of the rule giving the longest extension (延长) allowed; None: cannot be extended.
    extended_by: str | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"期限规则 {self.id} 的计算方式无效: {self.mode}")
        if self.mode == "fixed_date":
            if self.fixed_month is None or self.fixed_day is None:
                raise ValueError(f"固定日期规则 {self.id} 缺少月、日")
            date(2000, self.fixed_month, self.fixed_day)  # leap year: validates any month/day
        elif self.period < 1:
            raise ValueError(f"期限规则 {self.id} 的期间无效: {self.period}")

    @property
    def unit(self) -> str:
        """Chinese unit for display, e.g. "5个工作日"."""
        return {
            "days": "日",
            "workdays": "个工作日",
            "months": "个月",
            "days_before": "日前",
            "workdays_before": "个工作日前",
            "fixed_date": "",
        }[self.mode]

    def period_text(self, period: int | None = None) -> str:
        if self.mode == "fixed_date":
            return f"{self.fixed_month}月{self.fixed_day}日"
        return f"{self.period if period is None else period}{self.unit}"


def _r(
    id: str, name: str, trigger: str, act: str, period: int, mode: str, basis: str,
    configurable: bool = False, note: str = "", **kw: int | str,
) -> Rule:
    return Rule(id, trigger, act, period, mode, basis, configurable, note, name=name, **kw)


_XF = "行政复议法(2023)"
_CF = "行政处罚法(2021)"
_XK = "行政许可法"
_SS = "行政诉讼法"
_QZ = "行政强制法"

_ALL: tuple[Rule, ...] = (
    _r("reconsideration.accept", "复议申请受理审查", "复议机关收到申请", "审查并决定是否受理", 5, "workdays", f"{_XF} 第30条, 第88条"),
    _r("reconsideration.correction_notice", "复议申请补正通知", "收到申请", "通知申请人补正", 5, "workdays", f"{_XF} 第31条"),
    _r("reconsideration.correction", "复议申请材料补正", "申请人收到补正通知", "提交补正材料", 10, "workdays", f"{_XF} 第31条",
       note="补正期间,受理审查期限暂停计算"),
    _r("reconsideration.send_copy", "复议申请书副本发送", "受理", "将申请书副本或笔录复印件发送被申请人", 7, "workdays", f"{_XF} 第48条"),
    _r("reconsideration.reply", "复议被申请人答复", "被申请人收到申请书副本或笔录复印件", "书面答复并提交证据、依据", 10, "workdays",
       f"{_XF} 第48条, 第88条"),
    _r("reconsideration.send_copy_simple", "复议副本发送(简易程序)", "受理(简易程序)", "发送副本", 3, "workdays", f"{_XF} 第54条"),
    _r("reconsideration.reply_simple", "复议答复(简易程序)", "被申请人收到副本(简易程序)", "答复", 5, "workdays", f"{_XF} 第54条"),
    _r("reconsideration.hearing_notice", "复议听证通知", "通知听证", "举行听证(通知不得晚于)", 5, "workdays_before", f"{_XF} 第51条"),
    _r("reconsideration.decide", "复议决定(普通程序)", "受理", "作出复议决定(普通程序)", 60, "days", f"{_XF} 第62条第1款",
       extended_by="reconsideration.extend"),
    _r("reconsideration.decide_simple", "复议决定(简易程序)", "受理", "作出复议决定(简易程序)", 30, "days", f"{_XF} 第62条第2款"),
    _r("reconsideration.extend", "复议决定期限延长", "普通程序决定期限届满", "经行政复议机构负责人批准延长的最长期限(书面告知当事人)", 30, "days",
       f"{_XF} 第62条第1款"),
    _r("reconsideration.apply", "申请行政复议", "申请人知道或应当知道行政行为", "提出复议申请", 60, "days", f"{_XF} 第20条"),
    _r("litigation.answer", "行政应诉答辩", "被告收到起诉状副本", "提交证据、规范性文件并提出答辩状", 15, "days", f"{_SS} 第67条"),
    _r("litigation.file", "提起行政诉讼", "知道或应当知道作出行政行为", "提起诉讼", 6, "months", f"{_SS} 第46条"),
    _r("litigation.file_after_reconsideration", "复议后提起行政诉讼", "收到复议决定书", "提起诉讼", 15, "days", f"{_SS} 第45条"),
    _r("penalty.decide", "行政处罚决定", "立案", "作出行政处罚决定", 90, "days", f"{_CF} 第60条"),
    _r("penalty.hearing_request", "处罚听证申请", "告知听证权利", "当事人要求听证", 5, "workdays", f"{_CF} 第64条(一), 第85条"),
    _r("penalty.hearing_notice", "处罚听证通知", "通知听证时间、地点", "举行听证(通知不得晚于)", 7, "workdays_before",
       f"{_CF} 第64条(二), 第85条"),
    _r("penalty.serve_absent", "处罚决定书送达(当事人不在场)", "当事人不在场时作出决定", "送达决定书", 7, "workdays", f"{_CF} 第61条"),
    _r("penalty.pay_fine", "缴纳罚款", "当事人收到行政处罚决定书", "缴纳罚款", 15, "days", f"{_CF} 第67条第3款",
       note="逾期每日加处罚款数额3%, 不超过罚款数额(第72条)"),
    _r("penalty.hand_over_cash", "当场收缴罚款上交", "当场收缴罚款", "交至行政机关 / 行政机关缴付指定银行", 2, "workdays", f"{_CF} 第71条"),
    _r("penalty.publicize", "行政处罚决定公开", "作出行政处罚决定", "向社会公开", 7, "workdays",
       "国办发〔2018〕118号 (行政许可、行政处罚决定信息7个工作日内公开)"),
    _r("penalty.withdraw_publication", "处罚决定公开信息撤回", "公开的处罚决定被变更、撤销或确认违法、无效", "撤回原信息", 3, "workdays",
       f"{_CF} 第48条"),
    _r("penalty.seizure", "查封、扣押期限", "实施查封、扣押", "解除查封、扣押或作出处理决定", 30, "days", f"{_QZ} 第25条第1款",
       extended_by="penalty.seizure_extend"),
    _r("penalty.seizure_extend", "查封、扣押期限延长", "查封、扣押期限届满", "经行政机关负责人批准延长的最长期限(书面告知当事人)", 30,
       "days", f"{_QZ} 第25条第1款、第2款"),
    _r("enforcement.publicize", "其他行政执法决定公开", "作出其他行政执法决定", "向社会公开", 20, "workdays", "国办发〔2018〕118号"),
    _r("licence.notify_incomplete", "许可申请补正告知", "收到申请材料", "一次告知需补正的全部内容", 5, "workdays", f"{_XK} 第32条, 第82条"),
    _r("licence.decide", "行政许可决定", "受理", "作出行政许可决定", 20, "workdays", f"{_XK} 第42条, 第82条",
       extended_by="licence.extend"),
    _r("licence.extend", "行政许可决定期限延长", "经本机关负责人批准延长", "作出行政许可决定(延长期限)", 10, "workdays", f"{_XK} 第42条",
       note="自原二十日期限届满起算;应将延长期限的理由告知申请人"),
    _r("licence.issue_certificate", "许可证件颁发送达", "作出准予许可决定", "颁发、送达许可证件", 10, "workdays", f"{_XK} 第44条"),
    _r("licence.publicize", "行政许可决定公开", "作出许可决定", "向社会公开", 7, "workdays", "国办发〔2018〕118号"),
    _r("licence.hearing_request", "许可听证申请", "告知申请人、利害关系人听证权利", "提出听证申请", 5, "workdays",
       f"{_XK} 第47条第1款, 第82条"),
    _r("licence.hearing", "许可听证组织", "收到听证申请", "组织听证", 20, "workdays", f"{_XK} 第47条第1款, 第82条"),
    _r("licence.hearing_notice", "许可听证通知", "通知听证时间、地点", "举行听证(通知不得晚于)", 7, "workdays_before",
       f"{_XK} 第48条第1款第1项, 第82条", note="必要时予以公告;听证所需时间不计入决定期限(第45条)"),
    _r("normdoc.consult", "规范性文件征求意见", "公开征求意见开始", "最短征求意见期", 7, "workdays",
       "法治政府建设示范指标 (一般不少于7个工作日)", configurable=True),
    _r("normdoc.consult_business", "涉企规范性文件征求意见", "与市场主体生产经营密切相关的文件: 征求意见开始", "最短期", 30, "days",
       "法治政府建设示范指标 (不少于30日)", configurable=True),
    _r("normdoc.legality_review", "规范性文件合法性审核", "送审", "合法性审核完成(最长)", 15, "workdays",
       "国办发〔2018〕115号 (不少于5个工作日, 最长不超过15个工作日)", configurable=True,
       note="依通常引用,文件原文未经核实"),
    _r("normdoc.file", "规范性文件备案", "公布", "报送备案", 30, "days",
       "《陕西省行政规范性文件制定和监督管理办法》(省政府令第216号)", configurable=True,
       note="以本省规定为准,其期限数值未经核实;该办法取代了工作方案所引《省规范性文件监督管理办法》。"
            "规章备案为公布后30日内(法规规章备案审查条例 第4条,2024年11月1日起取代法规规章备案条例)"),
    _r("normdoc.validity", "规范性文件有效期", "公布", "有效期届满(一般不超过)", 60, "months",
       "省政府令第216号 (有效期一般不得超过5年)", configurable=True),
    _r("normdoc.cleanup", "规范性文件清理", "上次清理", "下次清理", 60, "months", "工作方案 五(一)2 (每五年清理一次)"),
    _r("normdoc.correct", "规范性文件纠正", "备案审查提出处理意见", "修改、废止或停止执行(纠正完毕)", 30, "days",
       "工作方案 五(一)2 (备案审查做到有错必纠)", configurable=True, note="工作方案未定期限,默认30日由法制办确认"),
    _r("decision.consult", "重大行政决策征求意见", "向社会公开征求意见开始", "最短征求意见期", 30, "days",
       "重大行政决策程序暂行条例 第15条 (一般不少于30日)", note="因情况紧急等原因缩短期限的,应当说明理由"),
    _r("decision.hearing_materials", "重大行政决策听证材料公布", "公布听证材料", "举行听证(不得晚于)", 7, "days_before", "重大行政决策程序暂行条例 第18条"),
    _r("decision.legality_review", "重大行政决策合法性审查", "送请合法性审查", "审查(不少于)", 7, "workdays",
       "重大行政决策程序暂行条例 第27条 (一般不少于7个工作日)"),
    _r("complaint.accept", "投诉举报受理告知", "收到投诉举报、意见建议", "决定是否受理并告知", 15, "days",
       "信访工作条例(2022) (收到之日起15日内决定是否受理)", configurable=True, note="条文序号未经核实"),
    _r("complaint.handle", "投诉举报办结答复", "受理", "办结并书面答复", 60, "days",
       "信访工作条例(2022) (自受理之日起60日内办结)", configurable=True, note="条文序号未经核实",
       extended_by="complaint.extend"),
    _r("complaint.extend", "投诉举报办理期限延长", "办结期限届满", "经本机关负责人批准延长的最长期限", 30, "days",
       "信访工作条例(2022) (延长期限不得超过30日)", configurable=True, note="条文序号未经核实"),
    _r("programme.workplan_file", "创建工作机构和方案备案", "创建周期开始之年", "工作机构和工作方案报领导小组办公室备案", 0, "fixed_date",
       "工作方案 五(四)", fixed_month=4, fixed_day=30),
)

RULES: dict[str, Rule] = {r.id: r for r in _ALL}
if len(RULES) != len(_ALL):  # not assert: must also hold under python -O
    raise RuntimeError("期限规则编号重复")
for _rule in _ALL:  # an extension is counted forward, by its own rule, from the original due date
    if _rule.extended_by is not None and (
        _rule.mode not in FORWARD_MODES or RULES.get(_rule.extended_by) is None
        or RULES[_rule.extended_by].mode not in ("days", "workdays")
    ):
        raise RuntimeError(f"期限规则 {_rule.id} 的延长规则无效: {_rule.extended_by}")


def get_rule(rule_id: str) -> Rule:
    try:
        return RULES[rule_id]
    except (KeyError, TypeError):
        raise UnknownRule(f"未知的期限规则: {rule_id}") from None


# Fallback for years no arrangement covers: the fixed-date holidays only (春节, 清明,
# 端午, 中秋 move with the lunar calendar and the State Council sets their spans).
FIXED_HOLIDAYS_BASIS: Final = "全国年节及纪念日放假办法(2024修订)"
FIXED_HOLIDAYS: Final[Mapping[tuple[int, int], str]] = MappingProxyType({
    (1, 1): "元旦",
    (5, 1): "劳动节",
    (5, 2): "劳动节",
    (10, 1): "国庆节",
    (10, 2): "国庆节",
    (10, 3): "国庆节",
})
