"""The litigation procedure's step actions, declared once for the pages and the API (procedures.actions)."""

from fazhi.procedures.actions import StepActions
from fazhi.remedies.litigation import forms, rules, services

STEP_ACTIONS = StepActions(
    code=rules.PROCEDURE,
    extras={"answer": forms.AnswerExtra, "judgment": forms.JudgmentExtra, "appeal_judgment": forms.JudgmentExtra,
            "appeal": forms.AppealExtra},
    perform=services.step_perform,
)
