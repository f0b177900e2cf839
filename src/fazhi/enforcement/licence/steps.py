"""The step actions of the procedure `licence` (procedures.actions): the extra fields of some steps and the router
that adds the case's own writes and clocks (services.perform)."""

from fazhi.enforcement.licence import forms, services
from fazhi.procedures.actions import StepActions

STEPS = StepActions(code="licence", extras={"review": forms.ReviewExtra, "decide": forms.DecideExtra,
                                            "certificate": forms.CertificateExtra},
                    perform=services.perform, blocked=services.step_refusal)
