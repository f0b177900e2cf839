"""The step actions of the procedure `reconsideration` (procedures.actions): the extra fields of some steps and the
router that adds the case's own writes and clocks (services.perform)."""

from fazhi.procedures.actions import StepActions
from fazhi.remedies.reconsideration import forms, services

STEPS = StepActions(code="reconsideration", extras={"accept": forms.AcceptExtra, "send_copy": forms.SendCopyExtra,
                                                    "reply": forms.ReplyExtra, "hearing": forms.HearingExtra,
                                                    "decide": forms.DecideExtra},
                    perform=services.perform, blocked=services.step_refusal)
