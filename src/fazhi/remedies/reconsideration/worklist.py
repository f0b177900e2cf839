"""This register's entries in the one work list (deadlines/worklist.py): every open clock of a case is a stored
clock on the respondent unit (the case's `unit`), so it is on that unit's and the office's work list; its rows
link to the case page. Called from RemediesConfig.ready."""


def register() -> None:
    from fazhi.deadlines.worklist import register_record

    register_record("remedies.Reconsideration", "行政复议案件", "reconsideration-detail", title_field="number",
                    acts_on_record="案件页面的「案件事项办理」中止、恢复、延长审理期限或终止(记录法定事由)")
