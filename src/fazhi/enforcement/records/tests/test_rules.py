"""The registry, records_missing, close_refusal and the record services, on the stand-in case."""

import pytest

from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.enforcement.records import rules, services
from fazhi.enforcement.records.models import RecordCheck
from fazhi.enforcement.records.registry import AV, WRITTEN
from fazhi.enforcement.records.tests.conftest import an_hour_ago, make_officer, mp4, pdf

pytestmark = pytest.mark.django_db


def add(world, case, officer, step="answer", kind=WRITTEN, file=None, user="d01", **over):
    data = {"case": case, "step": step, "kind": kind, "file": file or (pdf() if kind == WRITTEN else mp4()),
            "recorded_at": an_hour_ago(), "place": "区市场监管局询问室", "officer": officer, "note": "",
            "actor": world.user(user)}
    return services.record_add(**{**data, **over})


def test_missing_until_each_required_record_is_there(world, case, officer):
    assert [r.step for r in rules.records_missing(case)] == ["answer", "hearing"]
    refusal = rules.close_refusal(case)
    assert refusal.startswith("结案前须补齐全过程记录:答辩举证(文字记录)、庭审(音像记录)")
    assert "国办发〔2018〕118号" in refusal
    add(world, case, officer)
    assert [r.step for r in rules.records_missing(case)] == ["hearing"]
    # A written record does not stand for the audio-visual one the step needs.
    add(world, case, officer, step="hearing", kind=WRITTEN)
    assert rules.close_refusal(case) == "结案前须补齐全过程记录:庭审(音像记录)(依据:国办发〔2018〕118号 执法全过程记录制度)"
    record = add(world, case, officer, step="hearing", kind=AV)
    assert record.attachment.kind == "mp4" and record.attachment.object_id == str(record.pk)
    assert rules.records_missing(case) == [] and rules.close_refusal(case) is None
    check = RecordCheck.objects.get(object_id=str(case.pk))
    assert check.complete and check.missing == [] and check.unit == case.unit
    # A voided record no longer counts: the case lacks it again.
    services.record_void(record=record, reason="误传了其他案件的视频", actor=world.user("d01"))
    assert [r.text for r in rules.records_missing(case)] == ["庭审(音像记录)"]
    check.refresh_from_db()
    assert not check.complete and check.missing == [{"step": "hearing", "kind": "av", "label": "庭审"}]


def test_unregistered_model_needs_nothing(world, officer):
    from fazhi.enforcement.records.tests.conftest import make_case

    case = make_case(world)  # no `required` fixture: nobody registered the model
    assert rules.records_missing(case) == [] and rules.close_refusal(case) is None
    assert services.records_sync(case) is None


def test_bulk_matches_one_by_one(world, required, officer, django_assert_num_queries):
    from fazhi.enforcement.records.tests.conftest import make_case

    cases = [make_case(world, number=f"(2026)陕0113行初{n}号") for n in range(3)]
    add(world, cases[1], officer)
    with django_assert_num_queries(1):  # the records of the whole page (the content type is cached)
        found = rules.records_missing_bulk(cases)
    assert {pk: [r.step for r in v] for pk, v in found.items()} == {
        c.pk: [r.step for r in rules.records_missing(c)] for c in cases}


@pytest.mark.parametrize("over, field", [
    ({"step": "nope"}, "step"), ({"kind": "photo"}, "kind"), ({"file": None}, "file"), ({"place": " "}, "place"),
    ({"recorded_at": "2026-04-01"}, "recorded_at"), ({"officer": None}, "officer"),
])
def test_bad_input_names_the_field(world, case, officer, over, field):
    data = {"case": case, "step": "answer", "kind": WRITTEN, "file": pdf(), "recorded_at": an_hour_ago(),
            "place": "现场", "officer": officer, "note": "", "actor": world.user("d01")}
    with pytest.raises(InvalidInput) as e:
        services.record_add(**{**data, **over})
    assert e.value.field == field


def test_refusals(world, case, officer):
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(InvalidInput, match="不能晚于现在"):
        add(world, case, officer, recorded_at=timezone.now() + timedelta(hours=2))
    with pytest.raises(InvalidInput, match="本案所属单位的执法人员"):
        add(world, case, make_officer(world, "D02", "李外单位"))
    with pytest.raises(InvalidInput, match="已不在岗"):
        add(world, case, make_officer(world, "D01", "赵离岗", active=False))
    with pytest.raises(InvalidInput, match="音像记录") as e:  # a video as a written record
        add(world, case, officer, kind=WRITTEN, file=mp4())
    assert e.value.field == "kind"
    with pytest.raises(InvalidInput, match="不是允许的类型"):  # not a video for an AV record either
        add(world, case, officer, kind=AV, file=pdf("假视频.mp4").__class__("x.mp4", b"not a video at all", "video/mp4"))
    with pytest.raises(NotAllowed):
        add(world, case, officer, user="d02")
    with pytest.raises(NotAllowed):
        add(world, case, officer, user="leader")
    from fazhi.enforcement.records.models import ProcessRecord

    assert not ProcessRecord.objects.exists()  # nothing half-saved
    record = add(world, case, officer, user="fzb")  # the office may
    with pytest.raises(InvalidInput, match="作废原因"):
        services.record_void(record=record, reason=" ", actor=world.user("d01"))
    with pytest.raises(NotAllowed):
        services.record_void(record=record, reason="错", actor=world.user("d02"))


def test_av_size_limit_is_its_own(world, case, officer, settings):
    settings.FAZHI = {**settings.FAZHI, "MAX_UPLOAD_MB": 1, "MAX_AV_UPLOAD_MB": 2}
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.enforcement.records.tests.conftest import MP4

    big = MP4 + b"\x00" * (3 * 1024 * 1024 // 2)  # 1.5 MB: above the document limit, below the AV one
    assert add(world, case, officer, step="hearing", kind=AV, file=SimpleUploadedFile("a.mp4", big)).pk
    too_big = MP4 + b"\x00" * (5 * 1024 * 1024 // 2)
    with pytest.raises(InvalidInput, match="2 MB"):
        add(world, case, officer, step="hearing", kind=AV, file=SimpleUploadedFile("b.mp4", too_big))
