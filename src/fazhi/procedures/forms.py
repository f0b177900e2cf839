"""The office's forms: a new version of a definition (its steps as a formset) and a JSON import.
Validation of the definition itself is `rules.validate_definition`, shared with the import."""

from __future__ import annotations

import re

from django import forms

from fazhi.procedures import rules

OUTCOMES_HELP = "每行一个结果:编码 名称,可加「办结」或「退回:步骤编码,…」。如:archive 归档 办结;return 退回补正 退回:file,review"
MAX_IMPORT_BYTES = 1024 * 1024


def rule_choices():
    from fazhi.deadlines.catalogue import RULES

    return [("", "(无)")] + [(r.id, f"{r.id} {r.name}") for r in sorted(RULES.values(), key=lambda r: r.id)]


class DefinitionForm(forms.Form):
    name = forms.CharField(label="程序名称", max_length=200, error_messages={"required": "请填写程序名称"})
    note = forms.CharField(label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    based_on = forms.IntegerField(label="所依据的版本", required=False, min_value=0, max_value=2**31 - 1,
                                  widget=forms.HiddenInput)


class StepForm(forms.Form):
    code = forms.CharField(label="步骤编码", max_length=40, required=False, help_text=rules.STEP_CODE_HINT)
    name = forms.CharField(label="步骤名称", max_length=200, required=False)
    mandatory = forms.BooleanField(label="必经步骤(不勾选为条件性步骤)", required=False)
    condition = forms.CharField(label="适用条件(条件性步骤必填)", max_length=300, required=False)
    requires = forms.CharField(label="前置步骤(步骤编码,以逗号分隔)", max_length=500, required=False)
    basis = forms.CharField(label="法律依据", max_length=500, required=False)
    role = forms.ChoiceField(label="办理角色", choices=list(rules.STEP_ROLES.items()))
    attachments_required = forms.BooleanField(label="须附材料", required=False)
    deadline_rule = forms.ChoiceField(label="期限规则", required=False, choices=())
    deadline_action = forms.ChoiceField(label="期限动作", required=False,
                                        choices=[("", "(无)"), *rules.DEADLINE_ACTIONS.items()],
                                        help_text="完成本步骤时对该期限:起算(或退回后重新起算)或办结")
    outcomes = forms.CharField(label="结果", required=False, max_length=1000, help_text=OUTCOMES_HELP,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline_rule"].choices = rule_choices()

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(k) for k in ("code", "name", "basis", "condition", "requires", "outcomes"))

    def clean_outcomes(self):
        """`archive 归档 办结` → {"code": "archive", "label": "归档", "closes": true, "reopens": []}."""
        found = []
        for n, line in enumerate((self.cleaned_data.get("outcomes") or "").splitlines(), 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 2:
                raise forms.ValidationError(f"第 {n} 行缺少名称,应为「编码 名称」,如 archive 归档")
            outcome = {"code": parts[0], "label": parts[1], "reopens": [], "closes": False}
            for extra in parts[2:]:
                if extra == "办结":
                    outcome["closes"] = True
                elif re.match(r"^退回[::]", extra):
                    outcome["reopens"] = [c for c in re.split(r"[,,、]", extra[3:]) if c]
                else:
                    raise forms.ValidationError(f"第 {n} 行的「{extra}」无法识别:只能加「办结」或「退回:步骤编码,…」")
            found.append(outcome)
        return found

    def as_step(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("DELETE", None)
        return data


class BaseStepFormSet(forms.BaseFormSet):
    def steps(self) -> list[tuple[int, StepForm, dict]]:
        """The rows kept (not blank, not deleted), in order, numbered as the user sees them."""
        kept = []
        for form in self.forms:
            if not form.is_valid() or form.is_blank() or form.cleaned_data.get("DELETE"):
                continue
            kept.append(form)
        return [(i, form, form.as_step()) for i, form in enumerate(kept, 1)]


StepFormSet = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=2, can_delete=True, max_num=100,
                                    validate_max=True, absolute_max=120)


def step_initial(step: dict) -> dict:
    lines = []
    for o in step.get("outcomes", []):
        extra = (" 办结" if o.get("closes") else "") + (f" 退回:{','.join(o['reopens'])}" if o.get("reopens") else "")
        lines.append(f"{o['code']} {o['label']}{extra}")
    return {**step, "requires": ", ".join(step.get("requires", [])), "outcomes": "\n".join(lines)}


class ImportForm(forms.Form):
    file = forms.FileField(label="程序定义文件(.json)", help_text="本系统「导出 JSON」得到的文件,至多 1 MB;导入后发布为该程序的新版本",
                           error_messages={"required": "请选择要导入的 .json 文件"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("文件过大:程序定义文件至多 1 MB")
        return upload
