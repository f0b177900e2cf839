"""Writes shared by every module: versioned updates and domain events."""

from typing import Any

from django.db import transaction
from django.db.models import F, Model

from fazhi.core.errors import InvalidInput, StaleEdit
from fazhi.core.models import Event


def event_record(*, verb: str, summary: str, actor=None, unit=None, unit_id: int | None = None,
                 obj: Model | None = None, reason: str = "", data: dict | None = None) -> Event:
    from django.contrib.contenttypes.models import ContentType

    return Event.objects.create(
        verb=verb,
        summary=summary,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit_id=unit.pk if unit is not None else unit_id,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        data=data or {},
    )


@transaction.atomic
def versioned_update(instance: Model, *, expected_version: int | None, changes: dict[str, Any],
                     reason: str = "") -> Model:
    """Apply `changes` only if nobody saved the record since `expected_version` was read.

    The version bump is a conditional UPDATE, so of two concurrent edits exactly one wins.
    The save then goes through the model so its field history is kept.
    """
    if expected_version is None:
        raise InvalidInput("缺少版本号,请刷新页面后重新修改", field="version")
    model = type(instance)
    bumped = model.objects.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit()
    fresh = model.objects.select_for_update().get(pk=instance.pk)
    for field, value in changes.items():
        setattr(fresh, field, value)
    fresh.full_clean()
    if reason:
        fresh._change_reason = reason
    fresh.save()
    return fresh


def attachments_add(*, obj: Model, unit, files, actor, field: str = "files", av: bool = False) -> list:
    """Check every file first (by content), then store them all; a bad file stores none. `av`: audio and video
    accepted too (core/uploads.py)."""
    from django.contrib.contenttypes.models import ContentType

    from fazhi.core.models import Attachment
    from fazhi.core.uploads import check_upload

    checked = [(f, *check_upload(f, field=field, av=av)) for f in files]
    ct = ContentType.objects.get_for_model(obj)
    saved = []
    for upload, kind, digest, size in checked:
        attachment = Attachment(unit=unit, content_type=ct, object_id=str(obj.pk), original_name=upload.name[:255],
                                kind=kind, size=size, sha256=digest, uploaded_by=actor)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved
