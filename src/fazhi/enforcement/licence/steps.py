"""The step actions of the procedure `licence` (procedures.actions): the extra fields of each step (every step posts
the case version it saw) and the router that adds the case's own writes and clocks (services.perform)."""

from fazhi.enforcement.licence import forms, services
from fazhi.procedures.actions import StepActions

V = forms.StepVersion
STEPS = StepActions(code="licence", extras={"accept": V, "review": forms.ReviewExtra, "legal_review": V,
                                            "decide": forms.DecideExtra, "certificate": forms.CertificateExtra,
                                            "close": V},
                    perform=services.perform, blocked=services.step_refusal)
