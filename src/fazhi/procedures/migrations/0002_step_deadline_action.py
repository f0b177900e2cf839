"""A step with a deadline rule says what completing it does to the record's clock: `deadline_action`
start (起算) or stop (办结). Versions are never edited: the column is added blank (no effect, as before),
and a shipped procedure whose version in force has a rule step without an action gets the next version
with the shipped file's actions (the office's own versions are left for the office to republish)."""

from django.db import migrations, models


def forward(apps, schema_editor):
    from fazhi.procedures import rules, services

    Definition = apps.get_model("procedures", "ProcedureDefinition")
    Step = apps.get_model("procedures", "ProcedureStep")
    for code, shipped in services.builtin_files().items():
        current = Definition.objects.filter(code=code).order_by("-version").first()
        if current is None:
            continue  # loaded from the file, with its actions, after migrate
        rows = list(Step.objects.filter(definition=current).order_by("position"))
        if not any(s.deadline_rule and not s.deadline_action for s in rows):
            continue
        actions = {(s["code"], s.get("deadline_rule", "")): s.get("deadline_action", "") for s in shipped["steps"]}
        steps = [{f: getattr(s, f) for f in ("code", "name", "mandatory", "condition", "requires", "basis", "role",
                                             "attachments_required", "deadline_rule", "deadline_action", "outcomes")}
                 for s in rows]
        for s in steps:
            if s["deadline_rule"] and not s["deadline_action"]:
                s["deadline_action"] = actions.get((s["code"], s["deadline_rule"]), "")
        data = {"code": code, "name": current.name, "note": current.note, "steps": steps}
        cleaned, errors = rules.validate_definition(data, known_rules=services.known_rules())
        if not errors:
            services._publish(cleaned, actor=None, Definition=Definition, Step=Step)


class Migration(migrations.Migration):

    dependencies = [
        ("procedures", "0001_initial"),
        # Its filings' runs are made (version 1, without the new column) before the column exists.
        ("programme", "0002_workplan_procedure"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedurestep",
            name="deadline_action",
            field=models.CharField(blank=True, choices=[("start", "起算"), ("stop", "办结")], default="", max_length=8,
                                   verbose_name="期限动作"),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
