"""The legal calendar page's form: the office enters a year's holiday arrangement."""

from datetime import date

from django import forms

KINDS = {"放假": "holiday", "holiday": "holiday", "上班": "workday", "workday": "workday"}


class ArrangementForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, error_messages={
        "required": "请填写年度,例如 2027", "invalid": "请填写四位数的年度,例如 2027",
        "min_value": "年度应在 2000 至 2100 之间", "max_value": "年度应在 2000 至 2100 之间"})
    source = forms.CharField(label="依据文件", max_length=300, error_messages={
        "required": "请填写依据文件(国务院办公厅的放假安排通知)"},
        widget=forms.TextInput(attrs={"placeholder": "国务院办公厅关于2027年部分节假日安排的通知"}))
    days = forms.CharField(label="放假安排", max_length=20_000, error_messages={"required": "请至少填写一个放假日"},
                           help_text="每行一天:日期 放假/上班 名称,例如 2027-02-14 上班 春节调休",
                           widget=forms.Textarea(attrs={"rows": 6, "placeholder": "2027-01-01 放假 元旦\n2027-02-14 上班 春节调休"}))

    def clean_days(self) -> list[dict]:
        days = []
        for n, line in enumerate(self.cleaned_data["days"].splitlines(), start=1):
            parts = line.replace(",", " ").replace(",", " ").split()
            if not parts:
                continue
            try:
                day = date.fromisoformat(parts[0])
            except ValueError:
                raise forms.ValidationError(f"第 {n} 行日期无效: {parts[0][:20]}(格式 YYYY-MM-DD)") from None
            kind = KINDS.get(parts[1] if len(parts) > 1 else "")
            if kind is None:
                raise forms.ValidationError(f"第 {n} 行须注明“放假”或“上班”")
            days.append({"date": day, "kind": kind, "name": " ".join(parts[2:])})
        return days
