"""Building real ledger workbooks for the import and export tests."""

import datetime

from openpyxl import Workbook, load_workbook

APPLICATION_HEADERS = [
    "申请编号",
    "收到日期",
    "申请人类型",
    "申请人",
    "申请内容",
    "答复日期",
    "办理结果",
]


def application_row(number="学府街道〔2021〕1号", **values):
    row = {
        "申请编号": number,
        "收到日期": datetime.date(2021, 9, 28),
        "申请人类型": "自然人",
        "申请人": "张三",
        "申请内容": "申请公开老旧小区改造项目清单",
    }
    row.update(values)
    return row


def write_sheet(workbook, title, rows, headers=None):
    ws = workbook.create_sheet(title)
    headers = headers or list(dict.fromkeys(key for row in rows for key in row))
    ws.append(headers)
    for row in rows:
        ws.append([row.get(header) for header in headers])
    return ws


def write_ledger(path, applications, reviews=None, lawsuits=None, headers=None):
    """Write a ledger workbook; each row is a dict header -> value; returns the path."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    write_sheet(workbook, "申请登记", applications, headers)
    if reviews is not None:
        write_sheet(workbook, "行政复议", reviews)
    if lawsuits is not None:
        write_sheet(workbook, "行政诉讼", lawsuits)
    workbook.save(path)
    return path


def cells(path):
    """Every sheet's cells as (value, number_format, data_type), for comparing two files."""
    workbook = load_workbook(path)
    return {
        ws.title: [
            [(cell.value, cell.number_format, cell.data_type) for cell in row]
            for row in ws.iter_rows()
        ]
        for ws in workbook.worksheets
    }
