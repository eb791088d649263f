"""Workbooks typed by hand the way offices do, written with openpyxl directly (never with
gongkai's own writer), for the intake's layout and failure tests.

Labels are typed here verbatim as the national format prints them. `office_workbook()`
takes the figures of a report (tests.district_ledger.sample_report) and a few switches for
the layout variants of annual-report-format.md.
"""

from io import BytesIO

from openpyxl import Workbook

from applications.choices import OUTCOME_GROUPS
from reports.figures import tables

TITLE = "洛阳市洛龙区安乐镇人民政府2021年政府信息公开工作年度报告"
APPLICANT_NAMES = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
SHEET_NAMES = {"two": "表二", "three": "表三", "four": "表四"}
FOUR_NAMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def half_width(label):
    return label.replace("（", "(").replace("）", ")").replace("，", ",")


def spaced(label):
    """A label as typed with a space and a line break inside it."""
    middle = len(label) // 2
    return label[:2] + " " + label[2:middle] + "\n" + label[middle:]


class Sheet:
    """A sheet being typed: write values, merge blocks; figures as numbers or as text."""

    def __init__(self, sheet, as_text=False):
        self.sheet = sheet
        self.as_text = as_text

    def put(self, row, col, value):
        self.sheet.cell(row, col).value = value

    def figure(self, row, col, value):
        self.put(row, col, f" {value} " if self.as_text else value)

    def merge(self, row, col, last_row, last_col):
        self.sheet.merge_cells(
            start_row=row, start_column=col, end_row=last_row, end_column=last_col
        )


def table_two(sheet, top, report, left=1):
    """Table 二 in four blocks from `top`; returns the next free row."""
    sheet.put(top, left, "二、主动公开政府信息情况")
    row = top + 1
    for block in tables.TABLE_TWO_BLOCKS:
        sheet.put(row, left, block.header)
        sheet.merge(row, left, row, left + 3)
        sheet.put(row + 1, left, "信息内容")
        for index, column in enumerate(block.columns):
            sheet.put(row + 1, left + 1 + index, column.label)
        row += 2
        for table_row in block.rows:
            sheet.put(row, left, table_row.label)
            for index, column in enumerate(block.columns):
                value = report.table_two.values[table_row.code][column.code]
                sheet.figure(row, left + 1 + index, float(value) if block.money else value)
            row += 1
    return row + 1


def table_three(sheet, top, report, labels=None, spacer=False, legacy_six=False, left=1):
    """Table 三 from `top` in the sample's layout: labels in one column (or, with `spacer`,
    an empty column between labels and figures). `labels` maps a row code to the label
    typed instead of the official one. Returns the next free row."""
    labels = labels or {}
    first = left + (2 if spacer else 1)
    sheet.put(top, left, "三、收到和处理政府信息公开申请情况")
    sheet.put(top + 1, left, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    sheet.merge(top + 1, left, top + 3, first - 1)
    sheet.put(top + 1, first, "申请人情况")
    sheet.merge(top + 1, first, top + 1, first + 6)
    sheet.put(top + 2, first, "自然人")
    sheet.merge(top + 2, first, top + 3, first)
    sheet.put(top + 2, first + 1, "法人或其他组织")
    sheet.merge(top + 2, first + 1, top + 2, first + 5)
    sheet.put(top + 2, first + 6, "总计")
    sheet.merge(top + 2, first + 6, top + 3, first + 6)
    for index, name in enumerate(APPLICANT_NAMES[1:]):
        sheet.put(top + 3, first + 1 + index, name)
    row = top + 4
    six = [outcome.value for outcome in OUTCOME_GROUPS[-1].outcomes]
    for table_row in tables.TABLE_THREE_ROWS:
        values = report.table_three.values[table_row.code]
        if legacy_six and table_row.code in six:
            if table_row.code != six[0]:
                continue
            values = {
                column.code: sum(report.table_three.values[code][column.code] for code in six)
                for column in tables.TABLE_THREE_COLUMNS
            }
            sheet.put(row, left, "（六）其他处理")
        else:
            sheet.put(row, left, labels.get(table_row.code, table_row.label))
        for index, column in enumerate(tables.TABLE_THREE_COLUMNS):
            sheet.figure(row, first + index, values[column.code])
        row += 1
    return row + 1


def table_four(sheet, top, report, layout="sample", left=1):
    """Table 四 from `top` in one of the three header layouts; returns the next free row.

    sample: 行政复议 | 行政诉讼; 行政复议's five names merged down | 未经复议直接起诉 | 复议后起诉;
    the lawsuit groups' ten names. one_row: all fifteen names on the third header row.
    review_merged: as one_row, with 行政复议 merged over the first two header rows.
    """
    sheet.put(top, left, "四、政府信息公开行政复议、行政诉讼情况")
    head = top + 1
    sheet.put(head, left, "行政复议")
    sheet.put(head, left + 5, "行政诉讼")
    sheet.merge(head, left + 5, head, left + 14)
    sheet.put(head + 1, left + 5, "未经复议直接起诉")
    sheet.merge(head + 1, left + 5, head + 1, left + 9)
    sheet.put(head + 1, left + 10, "复议后起诉")
    sheet.merge(head + 1, left + 10, head + 1, left + 14)
    if layout == "sample":
        sheet.merge(head, left, head, left + 4)
        for index, name in enumerate(FOUR_NAMES):
            sheet.put(head + 1, left + index, name)
            sheet.merge(head + 1, left + index, head + 2, left + index)
        names = range(5, 15)
    else:
        sheet.merge(head, left, head + (1 if layout == "review_merged" else 0), left + 4)
        names = range(15)
    for offset in names:
        sheet.put(head + 2, left + offset, FOUR_NAMES[offset % 5])
    for group_index, group in enumerate(tables.TABLE_FOUR_GROUPS):
        for index, column in enumerate(tables.TABLE_FOUR_RESULT_COLUMNS):
            value = report.table_four.values[group.code][column.code]
            sheet.figure(head + 3, left + group_index * 5 + index, value)
    return head + 5


def published(label):
    """A label as the published report prints it: "(一) 予以公开", "(区分处理的, 只计…"."""
    text = half_width(label).replace(",", ", ")
    return text.replace(")", ") ", 1) if text.startswith("(") else text


def published_table_three(sheet, top, report):
    """Table 三 as 学府街道's published 2021 report lays it out (shared/seeds): the labels over
    three columns — 一、二、四 and (一)(二)(七) merged across, 三、本年度办理结果 merged down
    the first, each group (三)…(六) merged down the second beside its numbered items — and
    the header's caption over the label columns, 总计 merged down. Returns the next row."""
    sheet.put(top, 1, "三、收到和处理政府信息公开申请情况")
    head = top + 1
    sheet.put(head, 1, half_width(tables.TABLE_THREE_CAPTION))
    sheet.merge(head, 1, head + 2, 3)
    sheet.put(head, 4, "申请人情况")
    sheet.merge(head, 4, head, 9)
    sheet.put(head, 10, "总计")
    sheet.merge(head, 10, head + 2, 10)
    sheet.put(head + 1, 4, "自然人")
    sheet.merge(head + 1, 4, head + 2, 4)
    sheet.put(head + 1, 5, "法人或其他组织")
    sheet.merge(head + 1, 5, head + 1, 9)
    for index, name in enumerate(APPLICANT_NAMES[1:]):
        sheet.put(head + 2, 5 + index, name)
    row = head + 3
    groups = {outcome.value: group for group in OUTCOME_GROUPS for outcome in group.outcomes}
    first_result = row + 2
    for table_row in tables.TABLE_THREE_ROWS:
        group = groups.get(table_row.code)
        if group is None or len(group.outcomes) == 1:  # 一、二、四; (一)(二)(七)
            left = 1 if group is None and table_row.code != tables.TOTAL else 2
            sheet.put(row, left, published(table_row.label))
            sheet.merge(row, left, row, 3)
        else:
            if table_row.code == group.outcomes[0].value:
                sheet.put(row, 2, published(group.label))
                sheet.merge(row, 2, row + len(group.outcomes) - 1, 2)
            sheet.put(row, 3, table_row.label)
        for index, column in enumerate(tables.TABLE_THREE_COLUMNS):
            sheet.figure(row, 4 + index, report.table_three.values[table_row.code][column.code])
        if table_row.code == tables.TOTAL:
            sheet.put(first_result, 1, tables.RESULTS_LABEL)
            sheet.merge(first_result, 1, row, 1)
        row += 1
    return row + 1


def published_workbook(report, five="1.政府信息公开专业领域的理论学习方面仍需加强。"):
    """A whole report typed into one sheet the way the published 2021 report of 学府街道
    prints it: title, tables 二, 三 (published_table_three) and 四 (the sample's header),
    sections 五 and 六."""
    workbook = Workbook()
    sheet = Sheet(workbook.active)
    workbook.active.title = "2021年报"
    sheet.put(1, 1, "洛阳市洛龙区学府街道办事处2021年政府信息公开工作年度报告")
    row = table_two(sheet, 3, report)
    row = published_table_three(sheet, row, report)
    row = table_four(sheet, row, report, "sample")
    sheet.put(row, 1, "五、存在的主要问题及改进情况")
    sheet.put(row + 1, 1, five)
    sheet.put(row + 2, 1, "六、其他需要报告的事项")
    sheet.put(row + 3, 1, "本年度未收取信息处理费。")
    return save(workbook)


def save(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def office_workbook(
    report,
    four_layout="sample",
    separate_sheets=False,
    order=("two", "three", "four"),
    title=TITLE,
    as_text=False,
    spacer=False,
    labels=None,
    legacy_six=False,
    fee_text="六、其他需要报告的事项\n本年度未收取信息处理费。",
    five=None,
):
    """A report workbook as an office types it: a title row, a unit note, the tables in
    `order` on one sheet (or one sheet each), a closing note, the section 五 heading with
    the text `five` in the cell below (when given) and the section 六 text."""
    workbook = Workbook()
    first = workbook.active
    first.title = "年度报告"
    sheet = Sheet(first, as_text)
    sheet.put(1, 1, title)
    sheet.merge(1, 1, 1, 12)
    sheet.put(2, 1, "单位：件")
    row = 4
    for index, name in enumerate(order):
        if separate_sheets and index:
            sheet = Sheet(workbook.create_sheet(SHEET_NAMES[name]), as_text)
            row = 2
        if name == "two":
            row = table_two(sheet, row, report)
        elif name == "three":
            row = table_three(sheet, row, report, labels, spacer, legacy_six)
        else:
            row = table_four(sheet, row, report, four_layout)
    sheet.put(row + 1, 1, "注：本表数据截至2021年12月31日。")
    if five is not None:
        sheet.put(row + 2, 1, "五、存在的主要问题及改进情况")
        sheet.put(row + 3, 1, five or None)
        row += 2
    sheet.put(row + 3, 1, fee_text)
    return save(workbook)


def dense_figures(rows, columns):
    """A sheet of figures in every cell, as a workbook at the intake's bounds is."""
    workbook = Workbook()
    for row in range(1, rows + 1):
        workbook.active.append([row * col for col in range(1, columns + 1)])
    return save(workbook)
