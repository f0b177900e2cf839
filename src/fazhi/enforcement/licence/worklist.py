"""This package's entries in the one work list (deadlines/worklist.py) and its records requirements (全过程记录),
called from EnforcementConfig.ready: every open clock of a case is a stored clock on the case's unit, its rows link
to the case page; the case's acts (补正, 延长) are kept by the case."""


def register() -> None:
    from fazhi.deadlines.worklist import register_record
    from fazhi.enforcement.licence import rules
    from fazhi.enforcement.records import registry

    register_record("enforcement.LicenceCase", "行政许可案件", "licence-detail", title_field="number",
                    acts_on_record="案件页面的「案件事项办理」登记收到补正材料或延长决定期限(第42条,须本机关负责人批准)")
    registry.register("enforcement.LicenceCase", rules.records_required)
