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
# Audio-visual records (执法全过程记录 音像记录, 国办发〔2018〕118号): what law-enforcement recorders, cameras and
# phones write. Accepted only where a caller asks for them (`av=True`), with their own, larger size limit: a recorder
# writes about 2–4 MB a second at 1080p, so 500 MB holds a few minutes of scene (settings.FAZHI["MAX_AV_UPLOAD_MB"] overrides it).
AV_MAX_MB = 500
AV_KIND_LABELS = {"mp4": "MP4 视频", "mov": "MOV 视频", "avi": "AVI 视频", "3gp": "3GP 视频", "mp3": "MP3 音频",
                  "m4a": "M4A 音频", "wav": "WAV 音频", "amr": "AMR 音频"}
MIME.update({"mp4": "video/mp4", "mov": "video/quicktime", "avi": "video/x-msvideo", "3gp": "video/3gpp",
             "mp3": "audio/mpeg", "m4a": "audio/mp4", "wav": "audio/wav", "amr": "audio/amr"})
OLE2 = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
ZIP_KINDS = ("docx", "xlsx", "ofd")
# Limits on what a Word, Excel or OFD file (a zip) says it expands to, read from its directory without
# extracting: real documents stay far below them; a zip bomb (2 MB → 2 GiB) does not.
ZIP_MAX_TOTAL = 512 * 1024 * 1024
ZIP_MAX_MEMBER = 256 * 1024 * 1024
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_RATIO = 100  # expanded ÷ compressed, for a member above ZIP_RATIO_FROM
ZIP_RATIO_FROM = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return settings.FAZHI["MAX_UPLOAD_MB"] * 1024 * 1024


def max_av_upload_mb() -> int:
    return int(settings.FAZHI.get("MAX_AV_UPLOAD_MB") or AV_MAX_MB)


def accepted_text(*, av: bool = False) -> str:
    """What an evidence field accepts, for its help text (the types and the size limit in force)."""
    text = f"PDF、Word、Excel、JPG、PNG、OFD,单个文件不超过 {settings.FAZHI['MAX_UPLOAD_MB']} MB"
    if av:
        kinds = "、".join(k.upper() for k in AV_KIND_LABELS)
        text += f";音像文件 {kinds},单个不超过 {max_av_upload_mb()} MB"
    return text


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
    return guess if guess in ("pdf", "jpg", "png") or guess in AV_KIND_LABELS else None


def _mb(n: int) -> str:
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} 字节"


def check_zip_expansion(upload, name: str, *, field: str = "files") -> None:
    """Refuse a zip-based document whose members declare more than the limits above, or expand more than
    ZIP_MAX_RATIO times (a zip bomb). Reads only the zip's directory: nothing is extracted."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise InvalidInput(f"文件「{name}」已损坏,无法读取;请重新保存后上传", field=field) from None
    finally:
        upload.seek(0)
    advice = "可能是恶意构造的压缩文件;请用 Word、Excel 或 OFD 阅读器重新另存后上传"
    if len(members) > ZIP_MAX_MEMBERS:
        raise InvalidInput(f"文件「{name}」内含 {len(members)} 个部件,超过 {ZIP_MAX_MEMBERS} 个的上限;{advice}",
                           field=field)
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > ZIP_MAX_MEMBER:
            raise InvalidInput(f"文件「{name}」中的「{m.filename[:80]}」解压后达 {_mb(m.file_size)},超过单个部件 "
                               f"{_mb(ZIP_MAX_MEMBER)} 的上限;{advice}", field=field)
        if m.file_size > ZIP_RATIO_FROM and m.file_size > ZIP_MAX_RATIO * max(m.compress_size, 1):
            raise InvalidInput(f"文件「{name}」中的「{m.filename[:80]}」压缩比超过 {ZIP_MAX_RATIO} 倍"
                               f"({_mb(m.compress_size)} 解压后达 {_mb(m.file_size)});{advice}", field=field)
    if total > ZIP_MAX_TOTAL:
        raise InvalidInput(f"文件「{name}」解压后共 {_mb(total)},超过 {_mb(ZIP_MAX_TOTAL)} 的上限;{advice}",
                           field=field)


def check_upload(upload, *, field: str = "files", av: bool = False) -> tuple[str, str, int]:
    """Validate one uploaded file: (kind, sha256, size). Raises InvalidInput naming the file. With `av`, audio and
    video (AV_KIND_LABELS) are accepted too, up to MAX_AV_UPLOAD_MB; documents keep MAX_UPLOAD_MB."""
    name = getattr(upload, "name", "") or "未命名文件"
    size = upload.size
    if size == 0:
        raise InvalidInput(f"文件「{name}」是空文件", field=field)
    limit_mb = max_av_upload_mb() if av else settings.FAZHI["MAX_UPLOAD_MB"]
    if size > limit_mb * 1024 * 1024:
        raise InvalidInput(f"文件「{name}」超过 {limit_mb} MB 的大小限制", field=field)
    kind = detect_kind(upload, name)
    if kind is None or (kind in AV_KIND_LABELS and not av):
        allowed = "、".join([*KIND_LABELS.values(), *(AV_KIND_LABELS.values() if av else ())])
        raise InvalidInput(f"文件「{name}」的内容不是允许的类型(允许: {allowed})", field=field)
    if kind not in AV_KIND_LABELS and size > max_upload_bytes():
        raise InvalidInput(f"文件「{name}」超过 {settings.FAZHI['MAX_UPLOAD_MB']} MB 的大小限制", field=field)
    if kind in ZIP_KINDS:
        check_zip_expansion(upload, name, field=field)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind, digest.hexdigest(), size
