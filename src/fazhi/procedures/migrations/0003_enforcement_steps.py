"""The enforcement procedures' steps changed after their first release (review of issue 10): 法制审核 became the
office's step with the 法制审核意见书 required, and licence gained its review steps. Databases hold the old
version in force, and runs already started keep theirs (a version is never edited): the shipped file is published
as the next version of `penalty`, `penalty_simple` and `licence` when the version in force differs from it in
what a step demands (code, role, attachments, order, whether mandatory, outcomes) — and only when the version in
force is a shipped one (no publisher): a version the office published stays, as in 0002. Cases started from now
on run on it (the services refuse a unit's 法制审核 whatever the version says). A database without the code gets the file after migrate (builtin_load), as before."""

import json

from django.db import migrations

CODES = ("penalty", "penalty_simple", "licence")
COMPARED = ("code", "role", "attachments_required", "requires", "mandatory", "outcomes")


def _shape(steps) -> list:
    # Canonical JSON: PostgreSQL's jsonb hands objects back with their keys reordered.
    return [tuple(json.dumps(s.get(f), sort_keys=True, ensure_ascii=False) for f in COMPARED) for s in steps]


def differs(stored_steps: list[dict], shipped_steps: list[dict]) -> bool:
    return _shape(stored_steps) != _shape(shipped_steps)


def forward(apps, schema_editor):
    from fazhi.procedures import rules, services

    Definition = apps.get_model("procedures", "ProcedureDefinition")
    Step = apps.get_model("procedures", "ProcedureStep")
    shipped_files = services.builtin_files()
    for code in CODES:
        shipped = shipped_files.get(code)
        current = Definition.objects.filter(code=code).order_by("-version").first()
        if shipped is None or current is None:
            continue  # a fresh database loads the file after migrate
        if current.created_by_id is not None:
            continue  # the office published its own version: it stays in force until the office republishes
        cleaned, errors = rules.validate_definition(shipped, known_rules=services.known_rules())
        if errors:
            raise RuntimeError(f"procedures/data/{code}.json is not a sound definition: {errors}")
        stored = [{f: getattr(s, f) for f in COMPARED} for s in Step.objects.filter(definition=current).order_by("position")]
        if differs(stored, cleaned["steps"]):
            services._publish(cleaned, actor=None, Definition=Definition, Step=Step)


class Migration(migrations.Migration):

    dependencies = [
        ("procedures", "0002_step_deadline_action"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
