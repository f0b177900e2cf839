"""The office's 公文 templates: upload (checked), restore, void with reason. Never deleted, so every
document can be traced to the template it was made from (history and events)."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.core.models import GongwenTemplate
from fazhi.core.scoping import scope_for
from fazhi.core.services import event_record

MAX_TEMPLATE_MB = 5  # a template is styles and a 版头: far below this


def can_manage(user) -> bool:
    return scope_for(user).is_office


def _require_office(user) -> None:
    if not can_manage(user):
        raise NotAllowed("只有法制办可以管理公文模板")


def check_template(upload, *, field: str = "file") -> tuple[str, int]:
    """A real .docx, under the size limit, that python-docx opens and that holds every placeholder
    the generator fills; else InvalidInput naming the file and what to fix. Returns (sha256, size)."""
    from docx import Document

    from fazhi.core.gongwen import missing_placeholders
    from fazhi.core.uploads import check_upload

    name = getattr(upload, "name", "") or "未命名文件"
    if upload.size > MAX_TEMPLATE_MB * 1024 * 1024:
        raise InvalidInput(f"模板「{name}」超过 {MAX_TEMPLATE_MB} MB 的大小限制", field=field)
    kind, sha256, size = check_upload(upload, field=field)  # content type, zip bombs
    if kind != "docx":
        raise InvalidInput(f"模板「{name}」不是 Word .docx 文件;请在 Word 中“另存为 .docx”后上传", field=field)
    try:
        doc = Document(io.BytesIO(upload.read()))
    except Exception:  # python-docx raises many kinds on a broken part
        raise InvalidInput(f"模板「{name}」无法打开;请在 Word 中重新保存为 .docx 后上传", field=field) from None
    finally:
        upload.seek(0)
    missing = missing_placeholders(doc)
    if missing:
        raise InvalidInput(f"模板「{name}」缺少占位符:{'、'.join(missing)}。每个占位符须单独成段"
                           "(可下载当前模板参照)", field=field)
    return sha256, size


@transaction.atomic
def template_upload(*, upload, actor, note: str = "") -> GongwenTemplate:
    _require_office(actor)
    sha256, size = check_template(upload)
    tpl = GongwenTemplate(original_name=(upload.name or "模板.docx")[:255], size=size, sha256=sha256,
                          note=note.strip()[:200], uploaded_by=actor)
    tpl.file.save("template.docx", upload, save=False)
    tpl.save()
    event_record(verb="gongwen.template_uploaded", summary=f"上传公文模板「{tpl.original_name}」", actor=actor, obj=tpl)
    return tpl


@transaction.atomic
def template_restore(*, template: GongwenTemplate, actor) -> GongwenTemplate:
    _require_office(actor)
    if template.is_voided:
        raise InvalidInput("该模板已作废,不能恢复使用;请重新上传", field="template")
    template.activated_at = timezone.now()
    template._change_reason = "恢复使用"
    template.save(update_fields=["activated_at"])
    event_record(verb="gongwen.template_restored", summary=f"恢复使用公文模板「{template.original_name}」",
                 actor=actor, obj=template)
    return template


@transaction.atomic
def template_void(*, template: GongwenTemplate, actor, reason: str) -> GongwenTemplate:
    _require_office(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写作废原因", field="reason")
    if template.is_voided:
        raise InvalidInput("该模板已作废", field="template")
    template.voided_at, template.voided_by, template.void_reason = timezone.now(), actor, reason[:500]
    template._change_reason = reason[:100]
    template.save(update_fields=["voided_at", "voided_by", "void_reason"])
    event_record(verb="gongwen.template_voided", summary=f"作废公文模板「{template.original_name}」", actor=actor,
                 obj=template, reason=reason)
    return template
