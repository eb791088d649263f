"""Office isolation for every admin screen.

Every ModelAdmin registered on the admin site inherits OfficeScopedAdminMixin and says, in
`office_path`, how its records reach their office (the check accounts.E001 refuses an admin
that does not). From that one lookup the mixin derives everything:

- lists, searches, filters, actions and autocomplete see only records of the offices
  `Organization.objects.visible_to(user)` returns (superusers see everything);
- an object outside that scope answers 404 on its change, delete, history and any other
  object URL, never 403 and never a redirect;
- foreign-key and many-to-many choices (selects, raw-id boxes, autocomplete) offer only
  visible records, so a forged id in a POST is a form error ("请选择一个有效的选项");
- history is viewable and never revertible.

A model that belongs to no office (groups, login attempts, calendar overrides) sets
`office_path = GLOBAL`: its screens are then guarded by model permissions alone.
"""

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404, HttpResponseNotAllowed

from applications.models import Organization

GLOBAL = "__global__"

NOT_FOUND_MESSAGE = "没有找到这条记录：它不存在，或不属于您可以查看的机关。"


def visible_organizations(user):
    return Organization.objects.visible_to(user)


def scoped_admin_for(model, admin_site=admin.site):
    """The office-scoped ModelAdmin registered for `model`, or None."""
    model_admin = admin_site._registry.get(model)
    if isinstance(model_admin, OfficeScopedAdminMixin) and model_admin.office_path != GLOBAL:
        return model_admin
    return None


def scope_related_queryset(request, model, queryset=None, admin_site=admin.site):
    """Records of `model` this request's user may pick or see, however they are reached."""
    if queryset is None:
        queryset = model._default_manager.all()
    model_admin = scoped_admin_for(model, admin_site)
    if model_admin is not None:
        return model_admin.scope_queryset(request, queryset)
    if model is Organization:
        return queryset.filter(pk__in=visible_organizations(request.user))
    return queryset


class ScopedForeignKeyRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box that does not print the label of a record the user may not see."""

    def __init__(self, rel, admin_site, attrs=None, using=None, queryset=None):
        super().__init__(rel, admin_site, attrs=attrs, using=using)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        if self.queryset is not None:
            try:
                if not self.queryset.filter(**{key: value}).exists():
                    return "", ""
            except (ValueError, ValidationError):
                return "", ""
        return super().label_and_url_for_value(value)


class VisibleOfficeListFilter(admin.RelatedFieldListFilter):
    """An office filter that lists the offices this user may see.

    Read from the offices, not from the rows: listing only the offices present in the rows
    (RelatedOnlyFieldListFilter) reads every row's office, a million on a province's ledger.
    """

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"pk__in": visible_organizations(request.user)},
            ordering=ordering,
        )


class ScopedChangeList(ChangeList):
    """Turns list filters on relations into filters that list only what the user may see.

    A plain filter on `organization` would list every office in the database: an office
    filter lists the visible offices, a filter on another scoped model the values present
    in the user's rows.
    """

    def __init__(
        self,
        request,
        model,
        list_display,
        list_display_links,
        list_filter,
        date_hierarchy,
        search_fields,
        list_select_related,
        list_per_page,
        list_max_show_all,
        list_editable,
        model_admin,
        sortable_by,
        search_help_text,
    ):
        super().__init__(
            request,
            model,
            list_display,
            list_display_links,
            [model_admin.scoped_list_filter(item) for item in list_filter],
            date_hierarchy,
            search_fields,
            list_select_related,
            list_per_page,
            list_max_show_all,
            list_editable,
            model_admin,
            sortable_by,
            search_help_text,
        )


class OfficeScopedAdminMixin:
    """Put first in a ModelAdmin's bases and set `office_path`.

    office_path: the lookup from the model to its Organization, e.g. "organization",
    "application__organization", or "id" for Organization itself; GLOBAL for records
    that belong to no office.
    """

    office_path: str | None = None

    # --- which records ---------------------------------------------------------------

    def scope_queryset(self, request, queryset):
        if self.office_path == GLOBAL or request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.office_path}__in": visible_organizations(request.user)})

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(NOT_FOUND_MESSAGE)
        return obj

    def get_changelist(self, request, **kwargs):
        return ScopedChangeList

    def scoped_list_filter(self, item):
        if not isinstance(item, str):
            return item
        try:
            field = get_fields_from_path(self.model, item)[-1]
        except (FieldDoesNotExist, NotRelationField):
            return item
        related = getattr(field, "related_model", None)
        if related is Organization:
            return (item, VisibleOfficeListFilter)
        if related is not None and scoped_admin_for(related, self.admin_site):
            return (item, admin.RelatedOnlyFieldListFilter)
        return item

    # --- which choices ---------------------------------------------------------------

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        model = db_field.remote_field.model
        if queryset is None:
            queryset = model._default_manager.using(db).all()
        return scope_related_queryset(request, model, queryset, self.admin_site)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and type(formfield.widget) is ForeignKeyRawIdWidget:
            formfield.widget = ScopedForeignKeyRawIdWidget(
                db_field.remote_field,
                self.admin_site,
                using=kwargs.get("using"),
                queryset=formfield.queryset,
            )
        return formfield

    # --- history: viewable by whoever may see the record, never revertible ------------

    def history_record_visible(self, request, object_id):
        """True if the record, or (once deleted) its last saved version, is in scope."""
        try:
            if self.get_queryset(request).filter(pk=object_id).exists():
                return True
            if self.model._default_manager.filter(pk=object_id).exists():
                return False
        except (ValueError, ValidationError):
            return False
        history_attribute = getattr(self.model._meta, "simple_history_manager_attribute", None)
        if history_attribute is None:
            return False
        pk_name = self.model._meta.pk.attname
        versions = (
            getattr(self.model, history_attribute)
            .filter(**{pk_name: object_id})
            .order_by("-history_date", "-history_id")
        )
        latest = versions.values_list("history_id", flat=True).first()
        return (
            latest is not None
            and self.scope_queryset(request, versions.filter(history_id=latest)).exists()
        )

    def history_view(self, request, object_id, extra_context=None):
        if not self.history_record_visible(request, unquote(object_id)):
            raise Http404(NOT_FOUND_MESSAGE)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.history_record_visible(request, unquote(object_id)):
            raise Http404(NOT_FOUND_MESSAGE)
        if request.method != "GET":
            # Past versions are for reading; restoring one ("revert") is not allowed.
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True
