"""Small helpers shared by every Excel file gongkai writes."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def write_text(cell, value):
    """Put user-typed text into a cell so that Excel shows it as text and never runs it.

    openpyxl turns any string starting with '=' into a formula; forcing the string type
    and Excel's quote prefix (the hidden leading apostrophe) keeps '=HYPERLINK(...)',
    '+1', '-2' or '@SUM' exactly as typed.
    """
    text = "" if value is None else str(value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell
