"""Streamed .xlsx exports: openpyxl's write-only mode spools rows to a temporary file, which
is then streamed in chunks, so memory stays flat whatever the row count."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell that a spreadsheet could read as a formula is escaped with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_response(*, filename: str, sheets: Iterable[tuple[str, list[str], Iterable[Iterable]]]) -> FileResponse:
    wb = Workbook(write_only=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        ws.append(header)
        for row in rows:
            ws.append([safe_cell(v) for v in row])
    spool = tempfile.TemporaryFile()
    wb.save(spool)
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=filename,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
