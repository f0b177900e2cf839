"""The page form of a step (actions.StepActForm): a step whose extras name their own documents asks for those,
not also for a generic 材料 field."""

from django import forms

from fazhi.procedures.actions import StepActForm
from fazhi.procedures.rules import spec_from_dict

SPEC = spec_from_dict({"code": "answer", "name": "答辩举证", "attachments_required": True})


class OwnDocuments(forms.Form):
    statement = forms.FileField(label="答辩状", required=False)


class TextOnly(forms.Form):
    place = forms.CharField(label="地点", required=False)


def test_generic_files_field_only_without_named_documents():
    assert "files" in StepActForm(spec=SPEC).fields
    assert "files" in StepActForm(spec=SPEC, extras=TextOnly).fields
    named = StepActForm(spec=SPEC, extras=OwnDocuments).fields
    assert "files" not in named and "statement" in named
