"""The step actions of the three procedures normative documents run (procedures.actions): the extra fields
of some steps and the routers that add the module's own writes (services.perform_*)."""

from fazhi.normdocs import forms, services
from fazhi.procedures.actions import StepActions

DOCUMENT = StepActions(code="normdoc", extras={"publish": forms.PublishExtra, "file": forms.FileExtra},
                       perform=services.perform_document)
FILING = StepActions(code="normdoc.filing", extras={"submit": forms.ResubmitExtra, "review": forms.ReviewExtra,
                                                    "opinion": forms.OpinionExtra},
                     perform=services.perform_filing)
CLEANUP = StepActions(code="normdoc.cleanup", perform=services.perform_cleanup)
