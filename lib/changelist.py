"""Admin lists that stay cheap on a province's ledger (a million rows and more).

Two pieces, for any ModelAdmin:

- CappedCountPaginator counts the rows of a list up to a cap and no further: counting a
  million rows costs a read of the whole table on every page, counting the first 10,001
  costs at most those. Past the cap the list says 「超过10,000件」 and pages through the first
  10,000; filters and the search narrow it down.
- CaseFreeSearchMixin searches a term with no upper and lower case (Chinese, digits) with
  a case-sensitive LIKE: the same rows as Django's UPPER(column) LIKE UPPER(term), read
  without upper-casing every row, and served by plain trigram and B-tree indexes. A term
  with case (Latin letters) is found with ILIKE on PostgreSQL, which the trigram indexes
  also serve; Django's UPPER(column) LIKE UPPER(term) is served by none.
"""

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.paginator import Paginator
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.db.models.lookups import IContains
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """A paginator whose count stops at `cap`; `capped` says there are more rows."""

    cap = COUNT_CAP

    @cached_property
    def counted(self) -> int:
        """The rows up to cap + 1: one more than the cap says the list goes on."""
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.counted > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def capped_text(self) -> str:
        return f"超过{self.cap:,}件"

    @property
    def capped_note(self) -> str:
        return f"只列出前{self.cap:,}件，可用筛选或搜索缩小范围"


@models.CharField.register_lookup
@models.TextField.register_lookup
class ILikeContains(IContains):
    """icontains written as ILIKE on PostgreSQL (pg_trgm's GIN indexes serve it); on other
    databases, Django's icontains."""

    lookup_name = "ilike_contains"

    def as_sql(self, compiler, connection):
        return IContains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs}::text ILIKE {rhs}", (*lhs_params, *rhs_params)


def search_terms(search_term: str) -> list[str]:
    """The terms of an admin search, split as Django splits them (quotes keep spaces)."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        terms.append(bit)
    return terms


def has_case(term: str) -> bool:
    """True if the term has letters with an upper and a lower case (Latin, Greek …)."""
    return term.upper() != term.lower()


def search_lookup(field_name: str, cased: bool) -> str:
    """The lookup Django's admin uses for a search field, case-sensitive for uncased terms
    (and ILIKE for "contains" with case, see ILikeContains).

    "^name" starts with, "=name" is the whole value, "name" contains the term; a field
    named with its own lookup ("name__exact") is used as it is.
    """
    i = "i" if cased else ""
    if field_name.startswith("^"):
        return f"{field_name[1:]}__{i}startswith"
    if field_name.startswith("="):
        return f"{field_name[1:]}__{i}exact"
    return f"{field_name}__ilike_contains" if cased else f"{field_name}__contains"


class CaseFreeSearchMixin:
    """Admin search as Django does it, with plain LIKE for terms without case.

    Each term (split by spaces, quotes keep them together) must match one of the search
    fields; the terms are ANDed. Full-text ("@name") and fields with a lookup of their own
    are left to Django.
    """

    def get_search_results(self, request, queryset, search_term):
        fields = [str(field) for field in self.get_search_fields(request)]  # type: ignore[attr-defined]
        terms = search_terms(search_term)
        if not fields or not terms or any(plain_lookup_unsupported(name) for name in fields):
            return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        conditions = []
        lookups = set()
        for term in terms:
            term_lookups = [search_lookup(name, has_case(term)) for name in fields]
            lookups.update(term_lookups)
            conditions.append(
                models.Q.create([(lookup, term) for lookup in term_lookups], connector=models.Q.OR)
            )
        may_have_duplicates = any(
            lookup_spawns_duplicates(self.opts, lookup)  # type: ignore[attr-defined]
            for lookup in lookups
        )
        return queryset.filter(models.Q.create(conditions)), may_have_duplicates


def plain_lookup_unsupported(field_name: str) -> bool:
    """Full-text fields and fields that name their own lookup go to Django's search."""
    if field_name.startswith("@"):
        return True
    last = field_name.lstrip("^=").split(LOOKUP_SEP)[-1]
    return last in models.Field.get_lookups() or last == "exact"
