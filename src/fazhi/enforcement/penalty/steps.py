"""The step actions of the procedures `penalty` and `penalty_simple` (procedures.actions): the extra fields of
each step (every step posts the case version it saw), the router that adds the case's own writes and clocks
(services.perform), and why a step waits (services.step_refusal: the page shows 「暂不能办理」)."""

from fazhi.enforcement.penalty import forms, services
from fazhi.procedures.actions import StepActions

V = forms.StepVersion
STEPS = StepActions(code="penalty", extras={"file": V, "investigate": forms.InvestigateExtra,
                                            "notify": forms.NotifyExtra, "hearing": forms.HearingExtra,
                                            "legal_review": forms.LegalReviewExtra, "decide": forms.DecideExtra,
                                            "serve": V, "execute": V, "close": V},
                    perform=services.perform, blocked=services.step_refusal)
SIMPLE_STEPS = StepActions(code="penalty_simple", extras={"decide": forms.SimpleDecideExtra, "execute": V, "close": V},
                           perform=services.perform, blocked=services.step_refusal)


def steps_for(case) -> StepActions:
    return SIMPLE_STEPS if case.procedure_kind == "simple" else STEPS
