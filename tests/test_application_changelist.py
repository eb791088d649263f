"""The admin list of applications at a province's scale (issue 14).

Its count stops at a cap, its search reads terms without case with a plain LIKE, its year
and office filters are read from an index and the offices, and its number of queries does
not grow with the ledger.
"""

import datetime
import importlib
import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import CLERK, DISTRICT
from applications.admin import ApplicationAdmin
from applications.models import Application
from lib.changelist import CappedCountPaginator, has_case, search_lookup, search_terms
from tests.support.factories import make_district, make_office, make_user

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("admin:applications_application_changelist")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm indexes exist on PostgreSQL only"
)


@pytest.fixture
def district_world(db):
    """A district of two offices (one without applications) and another district's office."""
    district = make_district("洛龙区")
    office = make_office("龙门街道", parent=district)
    empty_office = make_office("安乐街道", parent=district)
    foreign = make_office("王城路街道", parent=make_district("西工区"))
    return {
        "district": district,
        "office": office,
        "empty_office": empty_office,
        "foreign": foreign,
        "clerk": make_user("clerk", office, [CLERK]),
        "district_user": make_user("district", district, [DISTRICT]),
    }


def fill(make_application, size, **fields):
    for index in range(size):
        make_application(
            received_on=D(2021, 1 + index % 12, 1 + index % 27),
            answered_on=D(2021, 12, 28) if index % 2 else None,
            applicant_name="王伟" if index % 3 == 0 else "李娜",
            applicant_id_number=f"4103021990010{index:05d}",
            **fields,
        )


def shown_numbers(response):
    return [application.number for application in response.context["cl"].result_list]


# --- queries ------------------------------------------------------------------------


QUERIES = {"superuser": 9, "clerk": 12, "district_user": 13}


@pytest.mark.parametrize("query", ["", "?q=王伟", "?q=王伟 2021", "?status=pending"])
@pytest.mark.parametrize("role", ["superuser", "clerk", "district_user"])
@pytest.mark.parametrize("size", [3, 60])
def test_application_list_query_count_does_not_grow_with_rows(
    client,
    admin_user,
    district_world,
    make_application,
    django_assert_max_num_queries,
    role,
    query,
    size,
):
    fill(make_application, size, organization=district_world["office"])
    client.force_login(admin_user if role == "superuser" else district_world[role])
    # Session and user, the role's two permission look-ups and offices (not for a superuser),
    # the year filter's first and last dates, the office filter's offices (not for one
    # office), the capped count, the page's rows, the session save (savepoint, update,
    # release).
    with django_assert_max_num_queries(QUERIES[role]):
        response = client.get(URL + query)
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


def test_application_list_never_counts_the_whole_table(admin_client, make_application):
    fill(make_application, 3)
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(URL)
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT" in counts[0].upper()
    assert "DISTINCT" not in " ".join(query["sql"] for query in queries).upper()


# --- the capped count ---------------------------------------------------------------


@pytest.fixture
def cap_of_five(monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    monkeypatch.setattr(ApplicationAdmin, "list_per_page", 2)


def test_application_list_above_the_cap_says_more_than_the_cap(
    admin_client, make_application, cap_of_five
):
    fill(make_application, 7)
    response = admin_client.get(URL)
    page = response.content.decode()
    assert "超过5件" in page
    assert "只列出前5件" in page
    assert response.context["cl"].result_count == 5
    assert not re.search(r"\b7 依申请公开申请", page)


def test_application_list_above_the_cap_pages_through_the_first_rows(
    admin_client, make_application, cap_of_five
):
    fill(make_application, 7)
    pages = [shown_numbers(admin_client.get(URL, {"p": number})) for number in (1, 2, 3)]
    assert [len(rows) for rows in pages] == [2, 2, 1]
    assert len({number for rows in pages for number in rows}) == 5
    # Past the cap: back to the list, as Django does for a page that does not exist.
    assert admin_client.get(URL, {"p": 4}).status_code == 302


def test_application_search_above_the_cap_says_more_than_the_cap(
    admin_client, make_application, cap_of_five
):
    fill(make_application, 7, content="申请公开道路施工审批")
    page = admin_client.get(URL, {"q": "道路施工"}).content.decode()
    assert '<span class="small quiet">超过5件' in page


def test_application_list_below_the_cap_shows_the_exact_count(
    admin_client, make_application, cap_of_five
):
    fill(make_application, 4)
    response = admin_client.get(URL)
    page = response.content.decode()
    assert response.context["cl"].result_count == 4
    assert "4 依申请公开申请" in page
    assert "超过" not in page


def test_select_all_above_the_cap_says_more_than_the_cap(
    admin_client, make_application, cap_of_five
):
    fill(make_application, 7)
    page = admin_client.get(URL).content.decode()
    assert "选中全部（超过5件）" in page
    assert "选中所有的 5 个" not in page


# --- the search ---------------------------------------------------------------------


def search(client, term):
    return set(shown_numbers(client.get(URL, {"q": term})))


def test_search_finds_a_chinese_term_in_name_content_and_number(admin_client, make_application):
    make_application(number="甲1", applicant_name="欧阳修")
    make_application(number="甲2", content="申请公开欧阳路施工审批")
    make_application(number="欧阳〔2021〕3号")
    make_application(number="甲4")
    assert search(admin_client, "欧阳") == {"甲1", "甲2", "欧阳〔2021〕3号"}


def test_search_of_a_latin_term_ignores_case(admin_client, make_application):
    make_application(number="甲1", content="申请公开ABC项目的审批文件")
    make_application(number="甲2", content="申请公开abc项目的审批文件")
    make_application(number="甲3")
    assert search(admin_client, "aBc") == {"甲1", "甲2"}


def test_search_terms_must_all_match(admin_client, make_application):
    make_application(number="甲1", applicant_name="欧阳修", content="道路施工审批")
    make_application(number="甲2", applicant_name="欧阳修", content="老旧小区改造")
    make_application(number="甲3", applicant_name="王伟", content="道路施工审批")
    assert search(admin_client, "欧阳修 道路") == {"甲1"}
    assert search(admin_client, '"欧阳修 道路"') == set()  # quoted: one term


def test_search_matches_id_number_and_phone_only_whole(admin_client, make_application):
    make_application(number="甲1", applicant_id_number="41030219900101123X")
    make_application(number="甲2", applicant_phone="13812345678")
    assert search(admin_client, "41030219900101123x") == {"甲1"}  # the whole number, any case
    assert search(admin_client, "13812345678") == {"甲2"}
    assert search(admin_client, "199001011") == set()
    assert search(admin_client, "1234567") == set()


def test_search_of_a_term_without_case_reads_columns_as_they_are(admin_client, make_application):
    make_application(applicant_name="王伟")
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(URL, {"q": "王伟"})
    searched = [query["sql"] for query in queries if "王伟" in query["sql"]]
    assert searched and not any("UPPER(" in sql for sql in searched)


@pytest.mark.parametrize(
    "text, terms",
    [
        ("王伟 道路", ["王伟", "道路"]),
        ('"欧阳 修" 道路', ["欧阳 修", "道路"]),
        ("  ", []),
    ],
)
def test_search_terms_split_like_django(text, terms):
    assert search_terms(text) == terms


@pytest.mark.parametrize(
    "term, cased", [("王伟", False), ("13812345678", False), ("〔2021〕", False), ("abc", True)]
)
def test_has_case(term, cased):
    assert has_case(term) is cased


@pytest.mark.parametrize(
    "field, cased, lookup",
    [
        ("number", False, "number__contains"),
        ("number", True, "number__ilike_contains"),
        ("=applicant_phone", False, "applicant_phone__exact"),
        ("=applicant_phone", True, "applicant_phone__iexact"),
        ("^number", False, "number__startswith"),
    ],
)
def test_search_lookup(field, cased, lookup):
    assert search_lookup(field, cased) == lookup


@on_postgresql
@pytest.mark.parametrize(
    "term, index",
    [
        ("欧阳修", "application_applicant_name_trgm"),
        ("道路施工", "application_content_trgm"),
        ("〔2021〕12号", "application_number_trgm"),
        ("13812345678", "application_phone"),
        ("ABC项目", "application_content_trgm"),  # with case: ILIKE, which pg_trgm serves
        ("41030219900101123x", "application_id_number_upper"),
    ],
)
def test_search_of_three_characters_or_more_can_use_the_indexes(admin_user, rf, term, index):
    request = rf.get(URL)
    request.user = admin_user
    model_admin = admin.site._registry[Application]
    queryset, _ = model_admin.get_search_results(request, model_admin.model.objects.all(), term)
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows: the planner reads them all unless told not to; then the plan
        # shows what the indexes offer.
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan
    assert "BitmapOr" in plan


# --- the filters --------------------------------------------------------------------


def year_choices(response):
    """The 收到年份 filter's choices; none when the filter is not shown."""
    specs = response.context["cl"].filter_specs
    spec = next((s for s in specs if getattr(s, "parameter_name", None) == "year"), None)
    return [title for _, title in spec.lookup_choices] if spec else []


def test_year_filter_lists_every_year_from_the_last_received_to_the_first(
    admin_client, make_application
):
    make_application(received_on=D(2019, 5, 1))
    make_application(received_on=D(2022, 1, 3))
    assert year_choices(admin_client.get(URL)) == ["2022年", "2021年", "2020年", "2019年"]


def test_year_filter_of_an_office_reads_only_the_offices_the_user_may_see(
    client, district_world, make_application
):
    make_application(organization=district_world["office"], received_on=D(2021, 5, 1))
    make_application(organization=district_world["office"], received_on=D(2022, 5, 1))
    make_application(organization=district_world["foreign"], received_on=D(2018, 5, 1))
    client.force_login(district_world["clerk"])
    assert year_choices(client.get(URL)) == ["2022年", "2021年"]


def test_year_filter_is_hidden_without_applications(admin_client, db):
    assert year_choices(admin_client.get(URL)) == []


def office_choices(response):
    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "organization"
    )
    return {name for _, name in spec.lookup_choices}


def test_office_filter_lists_the_offices_the_user_may_see(client, district_world, make_application):
    make_application(organization=district_world["office"])
    make_application(organization=district_world["foreign"])
    client.force_login(district_world["district_user"])
    names = office_choices(client.get(URL))
    assert names == {district_world[key].name for key in ("district", "office", "empty_office")}


def test_office_filter_of_a_superuser_lists_every_office(admin_client, district_world):
    names = office_choices(admin_client.get(URL))
    assert district_world["foreign"].name in names and district_world["empty_office"].name in names


# --- the migrations -----------------------------------------------------------------


def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def trigram_indexes():
    constraints = connection.introspection.get_constraints(
        connection.cursor(), "applications_application"
    )
    return {name for name in constraints if name.endswith("_trgm")}


class RecordingEditor:
    """Stands in for the schema editor on SQLite, where it may not run inside a test."""

    def __init__(self):
        self.connection = connection
        self.statements = []

    def execute(self, sql, params=()):
        self.statements.append(sql)


def test_trigram_migration_is_reversible_and_a_no_op_off_postgresql():
    migration = importlib.import_module("applications.migrations.0006_search_trigram_indexes")
    names = {migration.index_name(column) for column in migration.COLUMNS}
    if connection.vendor != "postgresql":
        editor = RecordingEditor()
        migration.drop(None, editor)
        migration.create(None, editor)
        assert editor.statements == [] and trigram_indexes() == set()
        return
    assert trigram_indexes() == names
    with connection.schema_editor() as editor:
        migration.drop(None, editor)
    assert trigram_indexes() == set()
    with connection.schema_editor() as editor:
        migration.create(None, editor)
    assert trigram_indexes() == names
