from django import forms

from fazhi.org.models import Unit


class UnitForm(forms.ModelForm):
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    reason = forms.CharField(label="修改说明", required=False, max_length=500)

    class Meta:
        model = Unit
        fields = ["name", "short_name", "demonstration_key_unit", "sort_order", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = f"请填写{field.label}"
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            field.widget.attrs.setdefault("class", css)
