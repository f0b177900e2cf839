"""Every date field renders an ISO value, the only one <input type=date> accepts (zh-Hans would write 2026/11/28,
which the browser drops: an edit form, or a default of today, would come back empty)."""

from datetime import date

from django import forms
from django.utils import translation

from fazhi.core.forms import DateInput
from fazhi.enforcement.publication.forms import PublishForm


class One(forms.Form):
    on = forms.DateField(widget=DateInput())


def test_iso_value_in_chinese():
    with translation.override("zh-hans"):
        html = str(One(initial={"on": date(2026, 11, 28)})["on"])
        assert 'type="date"' in html and 'value="2026-11-28"' in html


def test_publication_form_default_is_iso():
    with translation.override("zh-hans"):
        html = str(PublishForm(initial={"version": 1})["on"])
        assert 'type="date"' in html and "/" not in html.split('value="')[1][:10]
