"""The one masking rule for personal data on public pages (core/masking.py)."""

import pytest

from fazhi.core.masking import mask_name, mask_text


@pytest.mark.parametrize("name, masked", [
    ("张三", "张**"), ("张三丰", "张**"), ("欧阳修", "欧阳**"), ("司马相如", "司马**"), ("王", "王**"),
    ("  李四 ", "李**"), ("", ""), ("Tom Lee", "T**"),
])
def test_names_keep_the_surname_only(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("text, masked", [
    ("电话13912345678", "电话139****5678"),
    ("手机 139-1234-5678。", "手机 139****5678。"),
    ("+86 13912345678", "+86 139****5678"),
    ("座机0915-3212345", "座机0915-****45"),
    ("029-88886666转", "029-****66转"),
    ("(0915)3212345", "(0915)****45"),
    ("身份证610102199001011234", "身份证610102********1234"),
    ("身份证号 61010219900101123X 无误", "身份证号 610102********123X 无误"),
    ("邮箱 zhang.san@example.com。", "邮箱 z***@example.com。"),
])
def test_numbers_and_addresses_in_free_text(text, masked):
    assert mask_text(text) == masked


def test_an_id_number_is_not_read_as_a_phone_number():
    # The 11 digits after 610102 look like a mobile number; the ID rule wins and hides the birth date.
    assert mask_text("610102139123456781") == "610102********6781"


def test_other_numbers_are_left_alone():
    text = "2026年5月17日第3次会议,受理编号 20260517-K7QX3M9P,金额 1234567 元,共 12 项"
    assert mask_text(text) == text


def test_known_names_in_free_text_are_masked():
    reply = "张明同志:您好!您反映的问题已转欧阳丽处理,张明的电话13912345678已登记。"
    assert mask_text(reply, names=["张明", "欧阳丽"]) == (
        "张**同志:您好!您反映的问题已转欧阳**处理,张**的电话139****5678已登记。")
