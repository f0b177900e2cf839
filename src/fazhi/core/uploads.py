"""Evidence uploads: the type is decided by the file's content, never by its name."""

from __future__ import annotations

import hashlib
import zipfile

import filetype
from django.conf import settings

from fazhi.core.errors import InvalidInput

KIND_LABELS = {
    "pdf": "PDF", "doc": "Word 97-2003", "docx": "Word", "xls": "Excel 97-2003", "xlsx": "Excel",
    "jpg": "JPEG 图片", "png": "PNG 图片", "ofd": "OFD 版式文件",
}
MIME = {
    "pdf": "application/pdf", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg", "png": "image/png", "ofd": "application/ofd",
}
OLE2 = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"


def max_upload_bytes() -> int:
    return settings.FAZHI["MAX_UPLOAD_MB"] * 1024 * 1024


def detect_kind(upload, name: str = "") -> str | None:
    """One of KIND_LABELS' keys, from the bytes; None if the content is none of them."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
        return None
    if head.startswith(OLE2):
        # A compound file holds Word 97 or Excel 97 documents; the name says which one.
        guess = filetype.guess_extension(head)
        if guess in ("doc", "xls"):
            return guess
        ext = name.lower().rsplit(".", 1)[-1] if "." in name else ""
        return ext if ext in ("doc", "xls") else None
    guess = filetype.guess_extension(head)
    return guess if guess in ("pdf", "jpg", "png") else None


def check_upload(upload, *, field: str = "files") -> tuple[str, str, int]:
    """Validate one uploaded file: (kind, sha256, size). Raises InvalidInput naming the file."""
    name = getattr(upload, "name", "") or "未命名文件"
    size = upload.size
    if size == 0:
        raise InvalidInput(f"文件「{name}」是空文件", field=field)
    if size > max_upload_bytes():
        raise InvalidInput(f"文件「{name}」超过 {settings.FAZHI['MAX_UPLOAD_MB']} MB 的大小限制", field=field)
    kind = detect_kind(upload, name)
    if kind is None:
        allowed = "、".join(KIND_LABELS.values())
        raise InvalidInput(f"文件「{name}」的内容不是允许的类型(允许: {allowed})", field=field)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind, digest.hexdigest(), size
