"""Test helpers other apps' tests share: the demo organisation and a current programme with the
plan's table, as the browser tests need them (committed, so the live server thread sees them)."""

import io
from importlib import resources

from django.utils import timezone


def demo_programme(settings, tmp_path):
    """Load the demo units and users, create a current programme and import the plan's table.
    Uploaded evidence goes to tmp_path. Returns the programme."""
    from fazhi.org import demo
    from fazhi.org.models import User
    from fazhi.programme import imports, services
    from fazhi.programme.demo import programme_dates

    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo.load()
    fzb = User.objects.get(username="fzb")
    start, end, phases = programme_dates(timezone.localdate())
    programme = services.programme_create(name="测试创建周期", start=start, end=end, phases=phases, actor=fzb)
    data = resources.files("fazhi.programme").joinpath("data/responsibility_table.csv").read_bytes()
    imports.import_table(programme=programme, upload=io.BytesIO(data), actor=fzb)
    return programme
