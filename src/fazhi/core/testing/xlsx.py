"""Reading an export back in tests."""

from openpyxl.utils import column_index_from_string


def column_width(ws, column: str) -> int:
    """A column's width as the writer set it. The file groups neighbouring columns of one width
    (<col min max>), and stores each width with XlsxWriter's padding (12 → 12.71)."""
    index = column_index_from_string(column)
    for dim in ws.column_dimensions.values():
        if dim.min and dim.min <= index <= dim.max and dim.customWidth:
            return int(dim.width)
    raise AssertionError(f"column {column} has no width set")
