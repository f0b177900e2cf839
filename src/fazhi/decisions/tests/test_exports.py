"""The decision catalogue export opens in openpyxl, with the items the user may see and the adjustments."""

import io

from openpyxl import load_workbook

from fazhi.decisions import demo


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def test_catalogue_export_reads_back(world):
    catalogue = demo.load()
    wb = _book(world.client("fzb").get(f"/decisions/catalogue.xlsx?year={catalogue.year}"))
    assert wb.sheetnames == ["决策事项目录", "目录调整"]
    rows = list(wb["决策事项目录"].iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "决策事项", "事项概要", "承办单位")
    assert len(rows) == 1 + len(demo.ITEMS)
    statuses = {r[10] for r in rows[1:]}
    assert {"已列入目录", "执行中", "已后评估", "已调出目录"} <= statuses
    adjustments = list(wb["目录调整"].iter_rows(values_only=True))[1:]
    assert any(r[1] == "调出" and "调出本级目录" in r[3] for r in adjustments)


def test_unit_export_has_only_its_items(world):
    catalogue = demo.load()
    wb = _book(world.client("d01").get(f"/decisions/catalogue.xlsx?year={catalogue.year}"))
    rows = list(wb["决策事项目录"].iter_rows(values_only=True))[1:]
    assert [r[1] for r in rows] == ["区老旧小区改造三年行动方案"]
    assert world.client("d01").get("/decisions/catalogue.xlsx?year=1999").status_code == 404
