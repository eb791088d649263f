import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import AuditEvent
from applications import rules
from applications.choices import ApplicantType, CaseResult, Channel, ClockStopKind, Outcome
from applications.ledger_import import import_ledger
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit, Organization
from lib.uploads import LEDGER_LIMITS
from tests.support.factories import make_user
from tests.support.ledger_workbooks import application_row, write_ledger

D = datetime.date
NUMBER = "学府街道〔2021〕1号"


def nothing_written():
    return (
        Application.objects.count() == 0
        and AdministrativeReview.objects.count() == 0
        and Lawsuit.objects.count() == 0
        and ClockStop.objects.count() == 0
    )


def messages(report):
    return [str(problem) for problem in report.errors]


def full_ledger(path):
    return write_ledger(
        path,
        [
            application_row(
                NUMBER,
                **{
                    "收到日期": "2021-03-01",
                    "答复日期": "2021/3/20",
                    "办理结果": 3.1,
                    "补正收到日期": "2021.3.2",
                    "延期答复": "是",
                    "征求意见日期": "2021年3月8日",
                    "第三方答复日期": datetime.datetime(2021, 3, 15),
                    "申请方式": "网络",
                    "证件号码": "410300199001011234",
                    "联系电话": 13800138000,
                    "联系地址": "洛阳市洛龙区学府街1号",
                    "信息处理费（元）": 100,
                    "备注": "加急",
                },
            ),
            application_row(
                "学府街道〔2021〕2号",
                **{"申请人类型": "商业企业", "申请人": "某公司", "延期答复": None},
            ),
        ],
        reviews=[
            {
                "申请编号": NUMBER,
                "复议申请日期": "2021-04-10",
                "复议结果": "结果维持",
                "结案日期": "2021-06-01",
            }
        ],
        lawsuits=[
            {
                "申请编号": NUMBER,
                "起诉日期": "2021-07-01",
                "是否经复议": "是",
                "诉讼结果": None,
                "结案日期": None,
            }
        ],
    )


# What an import writes ------------------------------------------------------------------


def test_import_creates_applications_cases_and_the_opinion_clock_stop(office, tmp_path):
    report = import_ledger(full_ledger(tmp_path / "ledger.xlsx"), office)

    assert report.ok, messages(report)
    assert (report.applications.created, report.reviews.created, report.lawsuits.created) == (
        2,
        1,
        1,
    )
    application = Application.objects.get(number=NUMBER)
    assert application.organization == office
    assert application.received_on == D(2021, 3, 1)
    assert application.answered_on == D(2021, 3, 20)
    assert application.outcome == Outcome.STATE_SECRET
    assert application.correction_received_on == D(2021, 3, 2)
    assert application.extended is True
    assert application.channel == Channel.ONLINE
    assert application.applicant_phone == "13800138000"
    assert application.fee_yuan == Decimal("100.00")
    assert application.notes == "加急"
    stop = application.clock_stops.get()
    assert (stop.kind, stop.started_on, stop.ended_on) == (
        ClockStopKind.THIRD_PARTY_OPINION,
        D(2021, 3, 8),
        D(2021, 3, 15),
    )
    # From 2 March: 20 + 20 (extension) + 5 (9–12 and 15 March) working days, across
    # Qingming (5 April), the make-up Sunday 25 April and Labour Day (1–5 May).
    assert application.due_on == application.deadline().due_on == D(2021, 5, 7)
    second = Application.objects.get(number="学府街道〔2021〕2号")
    assert (second.applicant_type, second.extended, second.outcome, second.channel) == (
        ApplicantType.COMMERCIAL,
        False,
        "",
        Channel.IN_PERSON,
    )
    review = AdministrativeReview.objects.get()
    assert (review.application, review.filed_on, review.result) == (
        application,
        D(2021, 4, 10),
        CaseResult.UPHELD,
    )
    lawsuit = Lawsuit.objects.get()
    assert (lawsuit.after_review, lawsuit.result, lawsuit.concluded_on) == (True, "", None)
    assert application.history.get().history_change_reason == "导入台账"


@pytest.mark.parametrize(
    "value, outcome",
    [
        ("3.1", "3.1"),
        (3.1, "3.1"),
        (1, "1"),
        ("6.3", "6.3"),
        ("属于国家秘密", "3.1"),
        ("部分公开", "2"),
        ("部分公开（区分处理的，只计这一情形，不计其他情形）", "2"),
        ("其他", "6.3"),
        ("予以公开", "1"),
        ("3.4 保护第三方合法权益", "3.4"),
        ("本机关不掌握相关政府信息", "4.1"),
    ],
)
def test_outcome_accepts_the_code_as_text_or_number_and_the_label(office, tmp_path, value, outcome):
    path = write_ledger(
        tmp_path / "l.xlsx", [application_row(**{"答复日期": "2021-10-08", "办理结果": value})]
    )

    report = import_ledger(path, office)

    assert report.ok, messages(report)
    assert Application.objects.get().outcome == outcome


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2021, 3, 5),
        D(2021, 3, 5),
        "2021-03-05",
        "2021/3/5",
        "2021.3.5",
        "2021年3月5日",
        " 2021-3-5 ",
    ],
)
def test_dates_accept_excel_dates_and_the_four_text_forms(office, tmp_path, value):
    path = write_ledger(tmp_path / "l.xlsx", [application_row(**{"收到日期": value})])

    assert import_ledger(path, office).ok
    assert Application.objects.get().received_on == D(2021, 3, 5)


@pytest.mark.parametrize(
    "result, stored",
    [("维持", "upheld"), ("结果纠正", "corrected"), ("其他结果", "other"), ("其他", "other")],
)
def test_case_results_accept_both_forms(office, tmp_path, result, stored):
    path = write_ledger(
        tmp_path / "l.xlsx",
        [application_row()],
        reviews=[
            {
                "申请编号": NUMBER,
                "复议申请日期": "2021-11-10",
                "复议结果": result,
                "结案日期": "2021-12-01",
            }
        ],
    )

    assert import_ledger(path, office).ok
    assert AdministrativeReview.objects.get().result == stored


@pytest.mark.parametrize(
    "value, message",
    [
        ("-1", "“-1”不是有效的金额，金额不能是负数。"),
        ("12.345", "“12.345”的小数超过两位，请精确到分。"),
        ("1e30", "“1e30”金额过大，请核对。"),
        ("一百", "“一百”不是金额，请填写数字，如 100 或 12.50（单位：元）。"),
    ],
)
def test_an_invalid_fee_is_an_error(office, tmp_path, value, message):
    errors = import_errors(office, tmp_path, [application_row(**{"信息处理费（元）": value})])

    assert errors == [f"工作表“申请登记”第2行F列“信息处理费（元）”：{message}"]


def test_a_fee_may_carry_its_unit(office, tmp_path):
    assert import_ledger(
        write_ledger(tmp_path / "l.xlsx", [application_row(**{"信息处理费（元）": "12.5元"})]),
        office,
    ).ok
    assert Application.objects.get().fee_yuan == Decimal("12.50")


def test_optional_sheets_may_be_absent_and_unknown_columns_are_ignored_with_a_warning(
    office, tmp_path
):
    path = write_ledger(tmp_path / "l.xlsx", [application_row(**{"经办人": "李四"})])

    report = import_ledger(path, office)

    assert report.ok
    assert Application.objects.count() == 1
    assert [str(w) for w in report.warnings] == [
        "工作表“申请登记”第1行F列“经办人”：“经办人”不是台账的列，这一列已忽略。"
    ]


def test_reimporting_the_same_file_changes_nothing(office, tmp_path):
    path = full_ledger(tmp_path / "ledger.xlsx")
    assert import_ledger(path, office).ok
    before = {
        "applications": list(
            Application.objects.values_list("pk", "updated_at", "due_on").order_by("pk")
        ),
        "history": Application.history.count() + ClockStop.history.count(),
        "cases": AdministrativeReview.history.count() + Lawsuit.history.count(),
    }

    report = import_ledger(path, office)

    assert report.ok
    assert (
        report.applications.created,
        report.applications.updated,
        report.applications.unchanged,
    ) == (0, 0, 2)
    assert (report.reviews.unchanged, report.lawsuits.unchanged) == (1, 1)
    assert before == {
        "applications": list(
            Application.objects.values_list("pk", "updated_at", "due_on").order_by("pk")
        ),
        "history": Application.history.count() + ClockStop.history.count(),
        "cases": AdministrativeReview.history.count() + Lawsuit.history.count(),
    }


def test_a_changed_row_updates_the_record_with_the_same_number(office, tmp_path, admin_user):
    import_ledger(
        write_ledger(
            tmp_path / "a.xlsx", [application_row(), application_row("学府街道〔2021〕2号")]
        ),
        office,
    )
    changed = write_ledger(
        tmp_path / "b.xlsx",
        [
            application_row(
                **{
                    "答复日期": "2021-11-03",
                    "办理结果": "予以公开",
                    "征求意见日期": "2021-10-08",
                    "第三方答复日期": "2021-10-12",
                }
            ),
            application_row("学府街道〔2021〕2号"),
        ],
    )

    report = import_ledger(changed, office, user=admin_user)

    assert (
        report.applications.created,
        report.applications.updated,
        report.applications.unchanged,
    ) == (0, 1, 1)
    application = Application.objects.get(number=NUMBER)
    assert (application.answered_on, application.outcome) == (D(2021, 11, 3), Outcome.DISCLOSED)
    assert application.updated_by == admin_user
    assert application.due_on == D(2021, 11, 4)  # 1 November + the 3 working days of 9–12 October
    assert application.history.count() == 2
    assert application.history.first().history_user == admin_user


def test_reviews_and_lawsuits_are_matched_by_application_and_filing_date(office, tmp_path):
    rows = [application_row()]
    import_ledger(
        write_ledger(
            tmp_path / "a.xlsx", rows, reviews=[{"申请编号": NUMBER, "复议申请日期": "2021-11-10"}]
        ),
        office,
    )

    report = import_ledger(
        write_ledger(
            tmp_path / "b.xlsx",
            rows,
            reviews=[
                {
                    "申请编号": NUMBER,
                    "复议申请日期": "2021-11-10",
                    "复议结果": "纠正",
                    "结案日期": "2022-01-05",
                },
                {"申请编号": NUMBER, "复议申请日期": "2022-02-01"},
            ],
        ),
        office,
    )

    assert (report.reviews.created, report.reviews.updated) == (1, 1)
    assert list(
        AdministrativeReview.objects.order_by("filed_on").values_list("filed_on", "result")
    ) == [(D(2021, 11, 10), "corrected"), (D(2022, 2, 1), "")]


def test_a_review_may_refer_to_an_application_already_stored(office, tmp_path, make_application):
    make_application(number="学府街道〔2020〕9号")
    path = write_ledger(
        tmp_path / "l.xlsx",
        [application_row()],
        reviews=[{"申请编号": "学府街道〔2020〕9号", "复议申请日期": "2021-01-10"}],
    )

    assert import_ledger(path, office).ok
    assert AdministrativeReview.objects.get().application.number == "学府街道〔2020〕9号"


def test_numbers_are_matched_within_the_office_only(office, other_office, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", [application_row()])
    import_ledger(path, office)

    report = import_ledger(path, other_office)

    assert report.applications.created == 1
    assert Application.objects.filter(number=NUMBER).count() == 2


def test_a_preview_counts_without_writing(office, tmp_path):
    report = import_ledger(full_ledger(tmp_path / "l.xlsx"), office, apply=False)

    assert report.ok and not report.applied
    assert (report.applications.created, report.reviews.created, report.lawsuits.created) == (
        2,
        1,
        1,
    )
    assert nothing_written()


# Every error: its own message, its place, and nothing written ------------------------------


def import_errors(office, tmp_path, applications, **sheets):
    report = import_ledger(write_ledger(tmp_path / "bad.xlsx", applications, **sheets), office)
    assert nothing_written()
    return messages(report)


def test_an_invalid_date_is_an_error(office, tmp_path):
    errors = import_errors(office, tmp_path, [application_row(**{"收到日期": "2021-02-30"})])

    assert errors == [
        "工作表“申请登记”第2行B列“收到日期”：“2021-02-30”不是有效的日期（该月没有这一天）。"
        "请填写如 2021-03-05、2021/3/5、2021.3.5 或 2021年3月5日，或者使用Excel的日期格式。"
    ]


def test_text_that_is_not_a_date_is_an_error(office, tmp_path):
    errors = import_errors(office, tmp_path, [application_row(**{"收到日期": "三月五日"})])

    assert errors[0].startswith("工作表“申请登记”第2行B列“收到日期”：“三月五日”不是日期。")


def test_an_unknown_applicant_type_is_an_error(office, tmp_path):
    errors = import_errors(office, tmp_path, [application_row(**{"申请人类型": "个人"})])

    assert errors == [
        "工作表“申请登记”第2行C列“申请人类型”：“个人”不是可选的申请人类型，"
        "请填写：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他。"
    ]


def test_an_unknown_outcome_is_an_error(office, tmp_path):
    errors = import_errors(
        office, tmp_path, [application_row(**{"答复日期": "2021-10-08", "办理结果": "7.1"})]
    )

    assert errors == [
        "工作表“申请登记”第2行G列“办理结果”：“7.1”不是有效的办理结果，"
        "请填写结果代码（如 1、3.1、6.3）或结果名称（如 予以公开、属于国家秘密、其他）。"
    ]


def test_an_answer_date_before_receipt_is_an_error(office, tmp_path):
    errors = import_errors(
        office, tmp_path, [application_row(**{"答复日期": "2021-09-27", "办理结果": "1"})]
    )

    assert errors == [f"工作表“申请登记”第2行F列“答复日期”：{rules.ANSWERED_NOT_BEFORE_RECEIVED}"]


def test_an_outcome_without_an_answer_date_is_an_error(office, tmp_path):
    errors = import_errors(
        office, tmp_path, [application_row(**{"答复日期": None, "办理结果": "1"})]
    )

    assert errors == [f"工作表“申请登记”第2行F列“答复日期”：{rules.OUTCOME_IFF_ANSWERED}"]


def test_an_answer_date_without_an_outcome_is_an_error(office, tmp_path):
    errors = import_errors(
        office, tmp_path, [application_row(**{"答复日期": "2021-10-08", "办理结果": None})]
    )

    assert errors == [f"工作表“申请登记”第2行G列“办理结果”：{rules.OUTCOME_IFF_ANSWERED}"]


def test_a_duplicate_number_in_the_file_is_an_error(office, tmp_path):
    errors = import_errors(
        office, tmp_path, [application_row(), application_row(), application_row()]
    )

    assert errors == [
        f"工作表“申请登记”第3行A列“申请编号”：申请编号“{NUMBER}”与第2行重复；同一机关的申请编号不能重复。",
        f"工作表“申请登记”第4行A列“申请编号”：申请编号“{NUMBER}”与第2行重复；同一机关的申请编号不能重复。",
    ]


def test_a_review_for_an_unknown_application_is_an_error(office, tmp_path):
    errors = import_errors(
        office,
        tmp_path,
        [application_row()],
        reviews=[{"申请编号": "学府街道〔2021〕99号", "复议申请日期": "2021-11-10"}],
    )

    assert errors == [
        "工作表“行政复议”第2行A列“申请编号”：申请编号“学府街道〔2021〕99号”在“申请登记”工作表和本机关已有的台账中都找不到，"
        "请先登记这件申请。"
    ]


def test_a_lawsuit_after_review_needs_a_review(office, tmp_path):
    errors = import_errors(
        office,
        tmp_path,
        [application_row()],
        lawsuits=[{"申请编号": NUMBER, "起诉日期": "2021-12-01", "是否经复议": "是"}],
    )

    assert len(errors) == 1
    assert errors == [
        f"工作表“行政诉讼”第2行C列“是否经复议”：{rules.LAWSUIT_AFTER_REVIEW_NEEDS_REVIEW}"
    ]


def test_only_one_of_the_two_opinion_dates_is_an_error(office, tmp_path):
    errors = import_errors(
        office,
        tmp_path,
        [application_row(**{"征求意见日期": "2021-10-08", "第三方答复日期": None})],
    )

    assert errors == [
        "工作表“申请登记”第2行G列“第三方答复日期”：填写了征求意见日期，必须同时填写第三方答复日期（两个日期要么都填，要么都不填）。"
    ]


def test_a_missing_required_value_and_a_missing_required_column_are_errors(office, tmp_path):
    errors = import_errors(office, tmp_path, [application_row(**{"申请人": None})])
    assert errors == ["工作表“申请登记”第2行D列“申请人”：必填，不能为空。"]

    row = application_row()
    del row["申请内容"]
    errors = import_errors(office, tmp_path, [row])
    assert errors == ["工作表“申请登记”第1行：缺少必填的列“申请内容”，请在第1行加上这一列。"]


def test_every_error_is_reported_not_just_the_first(office, tmp_path):
    errors = import_errors(
        office,
        tmp_path,
        [
            application_row("1", **{"收到日期": "昨天"}),
            application_row("2", **{"申请人类型": "外国人"}),
            application_row("3", **{"答复日期": "2021-10-08", "办理结果": "好"}),
        ],
        reviews=[{"申请编号": "404", "复议申请日期": "2021-13-01"}],
    )

    assert [error.split("：")[0] for error in errors] == [
        "工作表“申请登记”第2行B列“收到日期”",
        "工作表“申请登记”第3行C列“申请人类型”",
        "工作表“申请登记”第4行G列“办理结果”",
        "工作表“行政复议”第2行B列“复议申请日期”",
    ]


def test_a_renamed_text_file_is_refused(office, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_text("申请编号,收到日期\n1,2021-03-05\n", encoding="utf-8")

    report = import_ledger(path, office)

    assert messages(report) == [
        "文件不是Excel工作簿（.xlsx），可能是其他类型的文件改了扩展名。请在Excel中打开台账，选择“另存为”“Excel 工作簿(*.xlsx)”后再导入。"
    ]
    assert nothing_written()


def test_an_old_xls_file_is_refused(office, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)

    assert "旧版Excel（.xls）" in messages(import_ledger(path, office))[0]


def test_an_empty_file_is_refused(office, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"")

    assert messages(import_ledger(path, office)) == ["文件是空的（0 字节），请检查是否选错了文件。"]
    assert nothing_written()


def test_a_workbook_without_applications_is_refused(office, tmp_path):
    path = write_ledger(
        tmp_path / "l.xlsx",
        [],
        headers=["申请编号", "收到日期", "申请人类型", "申请人", "申请内容"],
    )

    assert messages(import_ledger(path, office)) == [
        "工作表“申请登记”：工作表里除了第1行列名之外没有任何申请，请填写后再导入。"
    ]


def test_a_workbook_without_the_application_sheet_is_refused(office, tmp_path):
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    workbook.save(tmp_path / "l.xlsx")

    assert messages(import_ledger(tmp_path / "l.xlsx", office)) == [
        "找不到工作表“申请登记”。本工作簿中的工作表是：Sheet1。请把申请台账所在的工作表改名为“申请登记”。"
    ]


def test_a_file_over_the_size_limit_is_refused(office, tmp_path):
    path = tmp_path / "big.xlsx"
    with open(path, "wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(LEDGER_LIMITS.max_bytes + 1)

    assert messages(import_ledger(path, office)) == [
        "文件有 20,971,521 字节，超过了 20.0 MB 的上限。请按年份分成几个文件分别导入。"
    ]


def test_a_zip_bomb_is_refused_before_parsing(office, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (64 * 1024 * 1024) + b"</a>")

    [error] = messages(import_ledger(path, office))
    assert error.startswith("工作簿的压缩比（") and "拒绝导入" in error


def test_a_workbook_declaring_too_much_uncompressed_data_is_refused(office, tmp_path):
    path = tmp_path / "l.xlsx"
    Workbook().save(path)
    data = bytearray(path.read_bytes())
    # Declare 500 MB as the uncompressed size of every member in the central directory.
    position = data.find(b"PK\x01\x02")
    while position != -1:
        data[position + 24 : position + 28] = (500 * 1024 * 1024).to_bytes(4, "little")
        position = data.find(b"PK\x01\x02", position + 4)
    path.write_bytes(bytes(data))

    [error] = messages(import_ledger(path, office))
    assert error.startswith("工作簿解压后有 ") and "超过了 400.0 MB 的上限，拒绝导入" in error


def test_a_sheet_declaring_too_many_rows_is_refused(office, tmp_path):
    workbook = Workbook()
    workbook.active.title = "申请登记"
    workbook.active.cell(row=300_000, column=1, value="x")
    workbook.save(tmp_path / "l.xlsx")

    assert messages(import_ledger(tmp_path / "l.xlsx", office)) == [
        "工作簿中有工作表声明了 300000 行，超过了每张表 200000 行的上限。请按年份分成几个文件分别导入。"
    ]


def test_a_file_that_is_a_zip_but_not_a_workbook_is_refused(office, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    (tmp_path / "l.xlsx").write_bytes(buffer.getvalue())

    assert "文件不是Excel工作簿（.xlsx）" in messages(import_ledger(tmp_path / "l.xlsx", office))[0]


# The command ---------------------------------------------------------------------------


def test_command_imports_into_an_office_named_by_short_name(office, tmp_path, capsys):
    call_command("import_ledger", str(full_ledger(tmp_path / "l.xlsx")), "--org", "学府街道")

    out = capsys.readouterr().out
    assert "已写入申请 2/2 件" in out
    assert "导入完成" in out and "申请登记：新增 2" in out
    assert Application.objects.filter(organization=office).count() == 2
    event = AuditEvent.objects.get()
    assert (event.action, event.organization, event.username) == (
        AuditEvent.Action.LEDGER_IMPORT,
        office,
        "manage.py",
    )


def test_command_refuses_an_unknown_office_and_lists_the_known_ones(office, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("import_ledger", str(full_ledger(tmp_path / "l.xlsx")), "--org", "不存在街道")

    assert "找不到机关“不存在街道”" in str(error.value)
    assert "洛阳市洛龙区学府街道办事处（简称：学府街道）" in str(error.value)
    assert nothing_written()


def test_command_creates_the_office_when_asked(db, tmp_path):
    call_command(
        "import_ledger",
        str(full_ledger(tmp_path / "l.xlsx")),
        "--org",
        "洛阳市洛龙区新区街道办事处",
        "--create-org",
        "--short-name",
        "新区街道",
    )

    office = Organization.objects.get(name="洛阳市洛龙区新区街道办事处")
    assert office.short_name == "新区街道"
    assert office.applications.count() == 2


def test_command_reports_every_error_and_keeps_no_new_office(db, tmp_path, capsys):
    path = write_ledger(
        tmp_path / "l.xlsx",
        [application_row("1", **{"收到日期": "x"}), application_row("2", **{"申请人类型": "y"})],
    )

    with pytest.raises(CommandError, match="共发现 2 个错误，没有导入任何数据"):
        call_command("import_ledger", str(path), "--org", "新街道", "--create-org")

    err = capsys.readouterr().err
    assert "第2行B列“收到日期”" in err and "第3行C列“申请人类型”" in err
    assert not Organization.objects.exists()


# The upload page -------------------------------------------------------------------------


@pytest.fixture
def clerk(db, office, django_user_model):
    from django.contrib.auth.models import Permission

    user = make_user("clerk", is_staff=True, organization=office)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["add_application", "change_application", "view_application"]
        )
    )
    return user


def upload(client, path, organization):
    with open(path, "rb") as handle:
        return client.post(
            reverse("admin:applications_application_ledger_import"),
            {"organization": organization.pk, "file": handle},
            follow=True,
        )


def test_upload_shows_a_preview_and_writes_only_on_confirmation(
    client, clerk, office, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(clerk)

    preview = upload(client, full_ledger(tmp_path / "l.xlsx"), office)

    assert preview.status_code == 200
    text = preview.content.decode()
    assert "<td>申请登记</td><td>2</td><td>0</td><td>0</td>" in text
    assert "<td>行政复议</td><td>1</td>" in text and "<td>行政诉讼</td><td>1</td>" in text
    assert nothing_written()
    token = preview.context["token"]
    assert (tmp_path / "media" / "ledger-imports" / f"{token}.xlsx").exists()

    confirmed = client.post(
        reverse("admin:applications_application_ledger_import_confirm"), {"token": token}
    )

    assert confirmed.status_code == 302
    assert Application.objects.filter(organization=office).count() == 2
    assert Application.objects.get(number=NUMBER).created_by == clerk
    assert not (tmp_path / "media" / "ledger-imports" / f"{token}.xlsx").exists()
    assert AuditEvent.objects.get(action=AuditEvent.Action.LEDGER_IMPORT).user == clerk


def test_upload_lists_every_problem_and_offers_no_confirmation(
    client, clerk, office, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(clerk)
    path = write_ledger(
        tmp_path / "l.xlsx",
        [application_row("1", **{"收到日期": "x"}), application_row("2", **{"申请人类型": "y"})],
    )

    response = upload(client, path, office)

    text = response.content.decode()
    assert "发现 2 个错误，没有导入任何数据" in text
    assert (
        "工作表“申请登记”第2行B列“收到日期”" in text
        and "工作表“申请登记”第3行C列“申请人类型”" in text
    )
    assert "确认导入" not in text
    assert list((tmp_path / "media" / "ledger-imports").iterdir()) == []


def test_upload_refuses_a_renamed_text_file(client, clerk, office, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(clerk)
    path = tmp_path / "台账.xlsx"
    path.write_text("not a workbook", encoding="utf-8")

    response = upload(client, path, office)

    assert "文件不是Excel工作簿（.xlsx）" in response.content.decode()
    assert nothing_written()


def test_a_preview_cannot_be_confirmed_from_another_session(
    client, clerk, office, tmp_path, settings, admin_user
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(clerk)
    token = upload(client, full_ledger(tmp_path / "l.xlsx"), office).context["token"]
    other = Client()
    other.force_login(admin_user)

    response = other.post(
        reverse("admin:applications_application_ledger_import_confirm"), {"token": token}
    )

    assert response.status_code == 302
    assert nothing_written()


def test_cancelling_a_preview_deletes_the_upload(client, clerk, office, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(clerk)
    token = upload(client, full_ledger(tmp_path / "l.xlsx"), office).context["token"]

    client.post(
        reverse("admin:applications_application_ledger_import_confirm"),
        {"token": token, "cancel": "1"},
    )

    assert nothing_written()
    assert list((tmp_path / "media" / "ledger-imports").iterdir()) == []


def test_confirming_checks_the_file_again(
    client, clerk, office, tmp_path, settings, make_application
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(clerk)
    path = write_ledger(
        tmp_path / "l.xlsx",
        [application_row()],
        reviews=[{"申请编号": "学府街道〔2020〕9号", "复议申请日期": "2021-01-10"}],
    )
    stored = make_application(number="学府街道〔2020〕9号")
    token = upload(client, path, office).context["token"]
    stored.delete()  # someone removed the application between preview and confirmation

    response = client.post(
        reverse("admin:applications_application_ledger_import_confirm"),
        {"token": token},
        follow=True,
    )

    assert "都找不到" in response.content.decode()
    assert nothing_written()


def test_upload_into_another_office_is_refused(client, clerk, other_office, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(clerk)

    response = upload(client, full_ledger(tmp_path / "l.xlsx"), other_office)

    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert nothing_written()


def test_upload_needs_add_and_change_permission(client, office, tmp_path, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = make_user("viewer", is_staff=True, organization=office)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_application"))
    client.force_login(viewer)

    assert client.get(reverse("admin:applications_application_ledger_import")).status_code == 403


def test_import_and_export_pages_show_their_forms(client, clerk):
    client.force_login(clerk)

    upload_page = client.get(reverse("admin:applications_application_ledger_import"))
    export_page = client.get(reverse("admin:applications_application_ledger_export"))

    assert upload_page.status_code == export_page.status_code == 200
    assert "不超过 20.0 MB" in upload_page.content.decode()
    assert list(upload_page.context["form"].fields["organization"].queryset) == [clerk.organization]
    assert "开始导出" in export_page.content.decode()


def test_changelist_links_to_import_export_and_template(admin_client):
    text = admin_client.get(reverse("admin:applications_application_changelist")).content.decode()

    assert reverse("admin:applications_application_ledger_import") in text
    assert reverse("admin:applications_application_ledger_export") in text
    assert reverse("admin:applications_application_ledger_template") in text
