"""The one masking rule for personal data shown to the public (portal pages, published decisions, …):
names keep the surname (张** / 欧阳**), phone numbers their first and last digits, 18-digit ID numbers
their region prefix and last four, e-mail addresses the first letter. Free text is masked too, so a
reply that quotes a phone number or the submitter's name shows neither."""

from __future__ import annotations

import re

# 复姓: kept whole, so 欧阳修 is 欧阳** (not 欧**).
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 轩辕 端木 独孤 南宫 西门 申屠 澹台 拓跋 "
    "呼延 百里 东郭 万俟 闻人 赫连 太史 钟离 公冶 宗政 濮阳 淳于 单于 太叔 仲孙 乐正 壤驷 公良 漆雕 谷梁 段干 "
    "司空 司寇 左丘 东门 梁丘 公羊 羊舌 微生 第五".split()
)
STARS = "**"

# Order matters: an ID number holds 11 digits that look like a mobile number, so it is masked first.
# (?<![\dA-Za-z]) / (?![\d]) keep a match from starting or ending inside a longer number.
EMAIL_RE = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
ID_RE = re.compile(r"(?<![\dA-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![\dA-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)((?:\+?86[ -]?)?1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?!\d)")
# 0915-3200001, 029 88886666, (0915)3200001, 0915-3200001-8001 (an extension stays masked with it)
LANDLINE_RE = re.compile(r"(?<!\d)(\(?0\d{2,3}\)?[ -]?)\d{3,4}[ -]?(\d{3,4})(?:-\d{1,5})?(?!\d)")


def mask_name(name: str) -> str:
    """张三 → 张**, 欧阳修 → 欧阳**; an empty name stays empty."""
    name = (name or "").strip()
    if not name:
        return ""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return name[0] + STARS  # a name in Latin letters: the first letter
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]
    return surname + STARS


def mask_phone(phone: str) -> str:
    return mask_text(phone)


def mask_text(text: str, *, names: tuple[str, ...] | list[str] = ()) -> str:
    """Every phone number, ID number and e-mail address in `text` masked, and each of `names` (the people
    the record is known to name, e.g. the submitter) replaced by its masked form."""
    if not text:
        return text or ""
    text = EMAIL_RE.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    text = ID_RE.sub(lambda m: f"{m.group(1)}{'*' * 8}{m.group(2)}", text)
    text = MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    text = LANDLINE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)[-2:]}", text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text
