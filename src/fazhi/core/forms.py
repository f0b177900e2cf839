"""Form pieces shared by every module's pages."""

from django import forms


class DateInput(forms.DateInput):
    """THE date widget: <input type=date> takes only ISO dates (YYYY-MM-DD). zh-Hans formats a date as 2026/11/28,
    which the browser drops as invalid — a form showing a date (an edit, a default of today) would come back empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (evidence); cleans to a list, [] when none was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]
