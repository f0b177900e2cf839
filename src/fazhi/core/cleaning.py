"""Checks of the values a service receives (from a page's form or the API), once for every register: each
refusal is an InvalidInput naming the field in Chinese and saying how to fix it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from fazhi.core.errors import InvalidInput

TEXT_MAX = 5000
# Records of the programme start long after this: an earlier date is a typing error (e.g. 0026 for 2026).
EARLIEST = date(1990, 1, 1)
MAX_PARTIES = 200


def text(value, *, field: str, label: str, required: bool = True, limit: int = TEXT_MAX) -> str:
    """Trimmed text: required if asked, at most `limit` characters, no control characters but tab and newlines."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"「{label}」应为文本", field=field)
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写「{label}」", field=field)
    if len(value) > limit:
        raise InvalidInput(f"「{label}」至多 {limit} 个字,现有 {len(value)} 个", field=field)
    if any(ord(c) < 32 and c not in "\t\r\n" for c in value):
        raise InvalidInput(f"「{label}」含有控制字符,请删除后重新提交", field=field)
    return value


def day(value, *, field: str, label: str, required: bool = True, past: bool = True, earliest: date = EARLIEST,
        today: date | None = None) -> date | None:
    """A date (a date object or YYYY-MM-DD): not after today when `past` (a fact that happened), not before
    `earliest`."""
    if value in (None, ""):
        if required:
            raise InvalidInput(f"请填写「{label}」(YYYY-MM-DD)", field=field)
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(f"「{label}」{value[:20]} 不是有效日期,请按 YYYY-MM-DD 填写", field=field) from None
    if not isinstance(value, date):
        raise InvalidInput(f"「{label}」应为日期(YYYY-MM-DD)", field=field)
    if past and value > (today or timezone.localdate()):
        raise InvalidInput(f"「{label}」{value.isoformat()} 晚于今天,请填写实际日期", field=field)
    if value < earliest:
        raise InvalidInput(f"「{label}」{value.isoformat()} 过早,请填写 {earliest.year} 年以后的实际日期", field=field)
    return value


def money(value, *, field: str, label: str, required: bool = True, positive: bool = False,
          maximum: Decimal = Decimal("999999999999.99")) -> Decimal | None:
    """An amount in 元 with at most two decimals, not negative (or positive when asked), at most `maximum`."""
    if value in (None, ""):
        if required:
            raise InvalidInput(f"请填写「{label}」(元)", field=field)
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"「{label}」应为金额(元),如 2000 或 2000.50", field=field) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise InvalidInput(f"「{label}」应为至多两位小数的金额(元)", field=field)
    if amount < 0 or (positive and amount == 0):
        raise InvalidInput(f"「{label}」应{'大于' if positive else '不小于'} 0", field=field)
    if amount > maximum:
        raise InvalidInput(f"「{label}」超过上限 {maximum} 元,请核对", field=field)
    return amount


def parties(raw, *, field: str, label: str, kinds: dict[str, str], default_kind: str, required: bool,
            contact: bool = False) -> list[dict]:
    """A list of parties [{"name", "kind"(, "contact")}]: names 1–100 characters, a kind among `kinds`."""
    if raw in (None, ""):
        raw = []
    if not isinstance(raw, list) or len(raw) > MAX_PARTIES:
        raise InvalidInput(f"「{label}」应为列表(每项名称 name、类型 kind),至多 {MAX_PARTIES} 个", field=field)
    rows = []
    for i, p in enumerate(raw, 1):
        if not isinstance(p, dict):
            raise InvalidInput(f"「{label}」第 {i} 项应为对象,含名称 name 和类型 kind", field=field)
        row = {"name": text(p.get("name"), field=field, label=f"{label}第 {i} 项名称", limit=100),
               "kind": p.get("kind") or default_kind}
        if row["kind"] not in kinds:
            raise InvalidInput(f"「{label}」第 {i} 项类型应为 {'、'.join(f'{k}({v})' for k, v in kinds.items())} 之一",
                               field=field)
        if contact:
            row["contact"] = text(p.get("contact"), field=field, label=f"{label}第 {i} 项联系方式", required=False,
                                  limit=100)
        rows.append(row)
    if required and not rows:
        raise InvalidInput(f"请填写「{label}」(至少一个)", field=field)
    return rows
