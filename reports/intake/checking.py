"""The report checks on the figures read from a workbook, explained for a workbook.

The checks are reports.figures.checks.check_report(), the same as for a report from the ledger;
the ledger's own warnings (overdue applications, long-open cases) do not apply, and where
a check's explanation gives advice for a ledger ("核对收到日期和答复日期") the intake
gives the advice that fits an uploaded workbook instead.
"""

from ..figures import checks as report_checks
from .problems import DISAGREEMENT, MUST_FIX, Problem

BLOCKING = (
    "table_three_balance",
    "table_three_results_total",
    "table_three_applicant_total",
    "table_four_totals",
)
LEDGER_WARNINGS = ("overdue_applications", "long_open_cases")
# Advice for a workbook, replacing the ledger's advice where a check fails.
WORKBOOK_ADVICE = {
    "table_three_balance": (
        "本年新收加上年结转，应等于本年办理完毕的（七）总计加结转下年度继续办理。"
        "以下各列不相等：请报送机关核对工作簿表三中这些列的“一、本年新收”“二、上年结转”“（七）总计”“四、结转下年度继续办理”四个数字，改正后重新报送。"
    ),
    "cross_year": (
        "以下各列不相等：请报送机关核对工作簿表三“二、上年结转”的数字是否照抄了上年报告的“四、结转下年度继续办理”；"
        "如上年的报告有误，请说明，或先重新报送上年的报告。"
    ),
    "table_two_in_force": (
        "以下类别对不上：请报送机关核对工作簿表二的“本年制发件数”“本年废止件数”“现行有效件数”与上年报告的“现行有效件数”。"
    ),
}


def last_year_figures(organization, year):
    """The figures that stand for the office's previous year, as the office's page and the
    rollup take them (reports.figures.checks.previous_by_office: sign-off or accepted
    workbook, else the ledger now); None when gongkai has nothing at all for that year."""
    previous = report_checks.previous_by_office([organization.pk], year)[organization.pk]
    if previous.signed_off:
        return previous
    two, three = previous.report.table_two, previous.report.table_three
    if not any(value for row in three.values.values() for value in row.values()) and not any(
        value for row in two.values.values() for value in row.values()
    ):
        return None
    return previous


def _for_workbook(check, organization, year, previous):
    if previous is None and check.code in ("cross_year", "table_two_in_force"):
        return report_checks.CheckResult(
            check.code,
            check.title,
            report_checks.WARNING,
            f"系统中没有{organization.name}{year - 1}年度的定稿、报送工作簿或台账数据，无法核对。",
        )
    if check.status == report_checks.FAIL and check.code in WORKBOOK_ADVICE:
        source = previous.source if check.code in ("cross_year", "table_two_in_force") else ""
        check.explanation = source + WORKBOOK_ADVICE[check.code]
    return check


def intake_checks(organization, year, report):
    """check_report() on the figures read, explained for a workbook. Where gongkai has
    nothing for last year, the cross-year checks cannot be made and say so."""
    previous = last_year_figures(organization, year)
    stand_in = previous or report_checks.PreviousYear(year - 1, report, False, "")
    return [
        _for_workbook(check, organization, year, previous)
        for check in report_checks.check_report(report, stand_in, as_of=None)
        if check.code not in LEDGER_WARNINGS
    ]


def disagreements(checks, reading):
    """Each failing balance check's details as a must-fix problem naming the cells it compares."""
    found = []
    for check in checks:
        if check.code not in BLOCKING or check.status != report_checks.FAIL:
            continue
        for index, detail in enumerate(check.details):
            keys = check.cells[index] if index < len(check.cells) else []
            places = [reading.cells[tuple(key)] for key in keys if tuple(key) in reading.cells]
            found.append(
                Problem(
                    MUST_FIX,
                    f"{check.title}：{detail}",
                    places[0] if places else None,
                    DISAGREEMENT,
                    refs=[place.ref for place in places],
                    title=check.title,
                    detail=detail,
                )
            )
    return found


def blocking(checks):
    return [
        check for check in checks if check.code in BLOCKING and check.status == report_checks.FAIL
    ]
