"""Work-plan filings run on the procedure `programme.workplan_filing`: each filing made before gets its run
(version 1) and the step records its status implies, so the gate sees what already happened."""

from django.db import migrations
from django.utils import timezone

CODE = "programme.workplan_filing"
NOTE = "根据迁移前的备案状态补记"


def forward(apps, schema_editor):
    from fazhi.procedures.services import builtin_load

    Filing = apps.get_model("programme", "WorkPlanFiling")
    if not Filing.objects.exists():
        return
    builtin_load(apps=apps, code=CODE)
    Definition = apps.get_model("procedures", "ProcedureDefinition")
    Step = apps.get_model("procedures", "ProcedureStep")
    Run = apps.get_model("procedures", "ProcedureRun")
    Record = apps.get_model("procedures", "StepRecord")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="programme", model="workplanfiling")
    definition = Definition.objects.filter(code=CODE).order_by("-version").first()
    steps = {s.code: s for s in Step.objects.filter(definition=definition)}
    for filing in Filing.objects.order_by("pk"):
        if Run.objects.filter(content_type=ct, object_id=str(filing.pk), code=CODE).exists():
            continue
        run = Run.objects.create(definition=definition, code=CODE, content_type=ct, object_id=str(filing.pk),
                                 unit_id=filing.unit_id, started_at=filing.filed_at)
        day = timezone.localtime(filing.filed_at).date()
        Record.objects.create(run=run, step=steps["file"], kind="done", act_date=day, entered_at=filing.filed_at,
                              actor_id=filing.filed_by_id, note=NOTE)
        if filing.status in ("archived", "returned"):
            Record.objects.create(run=run, step=steps["review"], kind="done",
                                  outcome="archive" if filing.status == "archived" else "return", act_date=day,
                                  actor_id=filing.reviewed_by_id or filing.filed_by_id,
                                  note=filing.review_reason or NOTE)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("procedures", "0001_initial"),
        ("programme", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
