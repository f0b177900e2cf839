"""This package's entries in the one work list (deadlines/worklist.py), called from EnforcementConfig.ready: the
publish and withdraw clocks are stored on the Publication (the case's unit), so they are on that unit's and the
office's work list; their rows link to the publication's page, where the acts are (and which links to the case)."""


def register() -> None:
    from fazhi.deadlines.worklist import register_record

    register_record("enforcement.Publication", "执法决定公开", "publication-detail", title_field="document_number",
                    acts_on_record="执法决定公开页面的「公开」「撤回」(公开、撤回期限不中止、不延长)")
