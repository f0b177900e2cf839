"""Fixtures of the publication and records tests: a stand-in case (a 行政应诉 case of D01 — any record with a
`unit` and a page will do, so these tests need no penalty or licence model) whose records are required by a
registration made here, and officers of D01 and D02."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.enforcement.records import registry
from fazhi.enforcement.records.registry import AV, WRITTEN, Requirement
from fazhi.programme.demo import DEMO_PDF

# The smallest MP4 header filetype recognises (an ftyp box, brand isom), then some bytes.
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

STAND_IN = "remedies.Litigation"
REQUIRED = [Requirement("answer", WRITTEN, "答辩举证", "测试依据 第1条"),
            Requirement("hearing", AV, "庭审", "测试依据 第2条")]


def pdf(name="记录.pdf"):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def mp4(name="执法记录仪.mp4"):
    return SimpleUploadedFile(name, MP4, content_type="video/mp4")


@pytest.fixture
def required(monkeypatch):
    """The stand-in's requirements, registered for the test only."""
    monkeypatch.setitem(registry.REQUIRED, STAND_IN.lower(), lambda case: list(REQUIRED))
    return REQUIRED


def make_case(world, unit="D01", number="(2026)陕0113行初15号"):
    from fazhi.remedies.litigation.tests.conftest import register

    return register(world, unit=unit, case_number=number)


@pytest.fixture
def case(world, required):
    return make_case(world)


def make_officer(world, unit="D01", name="王执法", active=True):
    from fazhi.enforcement.subjects.models import Officer

    return Officer.objects.create(unit=world.unit(unit), name=name, staff_number=f"{unit}-{name}", active=active,
                                  created_by=world.user(unit.lower()))


@pytest.fixture
def officer(world):
    return make_officer(world)


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)
