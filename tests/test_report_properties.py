"""Property tests over the ledger model's whole space (Hypothesis).

Each example is a ledger the model's own constraints accept: any mix of outcomes (withdrawn
is 6.3), applicant types, corrections, extensions, open and closed clock stops of every
kind across year ends, fees, reviews and lawsuits open across several years, lawsuits
after review; for two offices of one district. For every year the ledger touches:

- the report builds, and so do its checks, without a failing balance: 勾稽 in all seven
  columns, 总计 = the sum of the six applicant columns, （七）总计 = the sum of the outcomes,
  and each table-四 group's 总计 = its four parts;
- Y's 二、上年结转 = (Y−1)'s 四、结转下年度继续办理, and the cross-year check agrees;
- the grouped path (by office) gives each office its own report, and the rollup of the two
  offices is the sum of their reports;
- the page answers 200, and the workbook, the Word document and the JSON are made.

The example budget and seed come from tests/hypothesis_profiles.py ("ci" by default).
"""

import datetime
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from openpyxl import load_workbook

from accounts.roles import OFFICIAL
from applications.choices import ApplicantType, CaseResult, ClockStopKind, OrganizationKind
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit, Organization
from reports.figures import checks, district, tables
from reports.signoff import current_contents, current_document, current_workbook

D = datetime.date
FIRST_DAY, LAST_DAY = D(2020, 6, 1), D(2023, 6, 30)
OUTPUT_FIRST_DAY, OUTPUT_LAST_DAY = D(2021, 6, 1), D(2022, 6, 30)


def later(start, days):
    return st.integers(0, days).map(lambda n: start + datetime.timedelta(days=n))


@st.composite
def cases(draw, received_on):
    """A review or lawsuit: filed after the application, concluded (with a result) or open."""
    filed_on = draw(later(received_on, 900))
    concluded_on = draw(st.none() | later(filed_on, 900))
    result = draw(st.sampled_from(CaseResult)) if concluded_on else ""
    return {"filed_on": filed_on, "concluded_on": concluded_on, "result": result}


@st.composite
def applications(draw, first_day=FIRST_DAY, last_day=LAST_DAY, reach=700):
    received_on = draw(st.dates(first_day, last_day))
    answered_on = draw(st.none() | later(received_on, reach))
    stops = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(ClockStopKind),
                    "started_on": later(received_on, 60),
                    "length": st.none() | st.integers(0, 90),
                }
            ),
            max_size=2,
        )
    )
    review = draw(st.none() | cases(received_on))
    return {
        "received_on": received_on,
        "answered_on": answered_on,
        "outcome": draw(st.sampled_from(tables.OUTCOME_CODES)) if answered_on else "",
        "applicant_type": draw(st.sampled_from(ApplicantType)),
        "correction_received_on": draw(st.none() | later(received_on, 30)),
        "extended": draw(st.booleans()),
        "fee_yuan": draw(st.none() | st.decimals(0, 2000, places=2)),
        "stops": stops,
        "review": review,
        "lawsuit": draw(st.none() | cases(received_on)),
        "after_review": review is not None and draw(st.booleans()),
    }


def ledgers(**bounds):
    return st.lists(applications(**bounds), max_size=8)


def build(office, specs):
    """Create the ledger through the model, as a clerk's entries would."""
    for spec in specs:
        application = Application.objects.create(
            organization=office,
            applicant_name="张三",
            content="申请公开政府信息",
            **{
                key: spec[key]
                for key in (
                    "received_on",
                    "answered_on",
                    "outcome",
                    "applicant_type",
                    "correction_received_on",
                    "extended",
                    "fee_yuan",
                )
            },
        )
        for stop in spec["stops"]:
            ended_on = (
                None
                if stop["length"] is None
                else stop["started_on"] + datetime.timedelta(days=stop["length"])
            )
            ClockStop.objects.create(
                application=application,
                kind=stop["kind"],
                started_on=stop["started_on"],
                ended_on=ended_on,
            )
        if spec["review"]:
            AdministrativeReview.objects.create(application=application, **spec["review"])
        if spec["lawsuit"]:
            Lawsuit.objects.create(
                application=application, after_review=spec["after_review"], **spec["lawsuit"]
            )


def years_touched(*ledgers_specs):
    """From the first year of any record to the last year any date of it falls in."""
    days = [
        day
        for specs in ledgers_specs
        for spec in specs
        for day in (
            spec["received_on"],
            spec["answered_on"],
            *(case["filed_on"] for case in (spec["review"], spec["lawsuit"]) if case),
            *(case["concluded_on"] for case in (spec["review"], spec["lawsuit"]) if case),
        )
        if day
    ]
    if not days:
        return [2021]
    return list(range(min(days).year, max(days).year + 1))


def assert_balances(report):
    failed = [check for check in checks.balance_checks(report) if check.status != checks.PASS]
    assert not failed, [(check.code, check.details) for check in failed]


class LedgerWorld(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.county = Organization.objects.create(
            name="洛阳市洛龙区人民政府", short_name="洛龙区", kind=OrganizationKind.COUNTY
        )
        cls.first = Organization.objects.create(
            name="洛阳市洛龙区学府街道办事处", short_name="学府街道", parent=cls.county
        )
        cls.second = Organization.objects.create(
            name="洛阳市洛龙区开元路街道办事处", short_name="开元路街道", parent=cls.county
        )


class ReportFiguresProperties(LedgerWorld):
    @given(first=ledgers(), second=ledgers())
    def test_every_year_balances_links_and_rolls_up(self, first, second):
        build(self.first, first)
        build(self.second, second)
        years = years_touched(first, second)
        offices = [self.first, self.second]
        ids = [office.pk for office in offices]
        previous = None
        for year in [years[0] - 1, *years]:
            reports = {office.pk: tables.annual_report(office, year) for office in offices}
            grouped = tables.annual_reports_by_office(ids, year)
            for pk, report in reports.items():
                assert_balances(report)
                assert grouped[pk].as_json() == report.as_json()
                results = checks.report_checks(pk, year, report, today=D(2030, 1, 1))
                cross_year = next(check for check in results if check.code == "cross_year")
                assert cross_year.status == checks.PASS, cross_year.details
                if previous:
                    assert (
                        report.table_three.values[tables.CARRIED_IN]
                        == previous[pk].table_three.values[tables.CARRIED_OUT]
                    )
            total = tables.sum_reports(reports.values(), year)
            assert tables.annual_report(ids, year).as_json() == total.as_json()
            rollup = district.rollup(self.county, year, offices, today=D(2030, 1, 1))
            assert rollup.report.as_json() == total.as_json()
            previous = reports


class ReportOutputProperties(LedgerWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.official = get_user_model().objects.create_user(
            "shenhe", password="pw-for-tests-only-1", organization=cls.first
        )
        cls.official.groups.add(Group.objects.get(name=OFFICIAL))

    # Each example renders two years in four outputs: a tenth of the profile's budget.
    @settings(max_examples=max(5, settings.default.max_examples // 10))
    @given(ledger=ledgers(first_day=OUTPUT_FIRST_DAY, last_day=OUTPUT_LAST_DAY, reach=400))
    def test_every_year_builds_in_every_output(self, ledger):
        build(self.first, ledger)
        self.client.force_login(self.official)
        for year in (2021, 2022):
            contents = current_contents(self.first, year, today=D(2030, 1, 1))
            page = self.client.get(reverse("reports:report", args=[self.first.pk, year]))
            assert page.status_code == 200
            assert load_workbook(BytesIO(current_workbook(contents)))["表三"]
            assert Document(BytesIO(current_document(contents))).tables
            data = contents.report.as_json()
            assert tables.AnnualReport.from_json(data).as_json() == data
            assert isinstance(tables.AnnualReport.from_json(data).fees.total_yuan, Decimal)
