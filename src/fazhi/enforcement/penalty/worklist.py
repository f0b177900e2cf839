"""This register's entries in the one work list (deadlines/worklist.py): every open clock of a case (办案期限,
听证申请期, 听证通知, 缴款, 当场收缴上缴) is a stored clock on the case's unit, so it is on that unit's and the
office's work list, its rows linking to the case page. Also the records each step needs (全过程记录). Called from
EnforcementConfig.ready."""


def register() -> None:
    from fazhi.deadlines.worklist import register_record
    from fazhi.enforcement.penalty import rules
    from fazhi.enforcement.records.registry import register as records_register

    # The generic clock acts stay open (中止 with its reason, e.g. 鉴定、检测期间不计入办案期限 where a rule so
    # provides; 暂缓缴纳 under 第66条): the steps open and close the clocks themselves.
    register_record("enforcement.PenaltyCase", "行政处罚案件", "penalty-detail", title_field="number")
    records_register("enforcement.PenaltyCase", rules.records_required)
