"""The decision procedure's step actions, declared once for the pages and the API (procedures.actions)."""

from fazhi.decisions import forms, rules, services
from fazhi.procedures.actions import StepActions

STEP_ACTIONS = StepActions(
    code=rules.PROCEDURE,
    extras={"hearing": forms.HearingForm, "legality_submit": forms.LegalitySubmitForm, "decide": forms.DecideForm,
            "publish": forms.PublishForm},
    perform=services.step_perform,
)
