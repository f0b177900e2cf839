"""Fixtures of the programme tests: a current programme with the plan's responsibility table."""

import io
from datetime import timedelta
from importlib import resources

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.programme import imports, services
from fazhi.programme.demo import DEMO_PDF, programme_dates


@pytest.fixture
def programme(world):
    today = timezone.localdate()
    start, end, phases = programme_dates(today)
    p = services.programme_create(name="测试创建周期", start=start, end=end, phases=phases, actor=world.user("fzb"))
    data = resources.files("fazhi.programme").joinpath("data/responsibility_table.csv").read_bytes()
    imports.import_table(programme=p, upload=io.BytesIO(data), actor=world.user("fzb"))
    return p


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


@pytest.fixture
def assignment(programme, world):
    """D01's assignment of task 1.1 (due at the end of the implementation phase)."""
    return programme.tasks.get(code="1.1").assignments.get(unit__code="D01")


@pytest.fixture
def submitted(assignment, world):
    return services.report_submit(assignment=assignment, actor=world.user("d01"), text="已完成初稿",
                                  files=[pdf()], expected_version=assignment.version)


def days(n):
    return timezone.localdate() + timedelta(days=n)
