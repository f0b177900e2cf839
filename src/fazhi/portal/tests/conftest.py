import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.portal import services
from fazhi.portal.models import SUGGESTION
from fazhi.programme.demo import DEMO_PDF

IP = "203.0.113.7"


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def receive(ip=IP, **kwargs):
    data = {"kind": SUGGESTION, "title": "建议公开投诉电话", "content": "请在办事大厅公布投诉电话 13912345678。",
            "contact": {"name": "张明", "phone": "13912345678", "email": "zm@example.com"}, "files": [], "ip": ip}
    data.update(kwargs)
    return services.submission_receive(**data)


@pytest.fixture
def received(world):
    """A suggestion waiting for the office, with its query code."""
    return receive()


@pytest.fixture
def assigned(received, world):
    submission, code = received
    submission = services.submission_assign(submission=submission, unit=world.unit("D01"), actor=world.user("fzb"),
                                            note="请核实", expected_version=submission.version)
    return submission, code
