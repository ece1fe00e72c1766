"""The change list's rows, selection checkboxes and filters, Django's markup made faster.

Django renders a page of fifty rows cell by cell: each cell looks its field up again,
formats through `format_html`, reverses the row's address and finds the static icon's
hashed name, and the template then joins the cells one by one. At 100,000 enterprises
that was a quarter of the list's time. Here what is the same for every row (a column's
kind, classes, empty value, the icons, the address around the key) is worked out once
per page, and each row is joined into one string. The markup is Django's, to the
character (the tests compare both); a change list editing its rows in place
(`list_editable`) keeps Django's own rendering.

A model admin that can say what a row's markup is made of (`change_list_row_key(cl)`,
a function of the row giving its key and the values its columns read) has each row
written once per set of those values and kept in the process's memory, as the public
directory's cards are (common/fragments.py): a changed value is another row, so nothing
shown is ever stale. Each filter's choices are kept the same way (`list_filter`), and
the actions' form (`KeptActionsNode`: its select goes through a dozen form templates),
the pagination and the search form (`KeptListNode`), the columns' titles (`_headers`).
At most KEPT_CHARS are kept, the least recently used forgotten first; with DEBUG on,
nothing.
"""

import datetime
from html import escape

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import filters, helpers
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _boolean_icon,
    _coerce_field_name,
    admin_actions,
    admin_list_filter,
    pagination,
    result_headers,
    result_hidden_fields,
    results,
    search_form,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.kept_in_memory import KeptInMemory

# Stands for the key while the row's address is reversed once for the whole page.
_KEY = "0key0"
# A row is 600 to 900 characters, a filter's choices a few thousand: some thousands of
# them, a few megabytes per process.
KEPT_CHARS = 3_000_000
_kept = KeptInMemory(len)
# The filters whose choices are made of their own values (`lookup_choices`), the field's
# choices and the list's query string only: Django's own kinds, their `choices` untouched.
_PLAIN_CHOICES = {
    filters.SimpleListFilter.choices,
    filters.BooleanFieldListFilter.choices,
    filters.ChoicesFieldListFilter.choices,
    filters.RelatedFieldListFilter.choices,
}


class QuickSelectionAdmin(admin.ModelAdmin):
    def action_checkbox(self, obj):
        # Django renders it through the form widget templates: a third of a millisecond a row.
        label = _("Select this object for an action - {}").format(escape(str(obj)))
        return SafeString(
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" '
            f'value="{escape(str(obj.pk))}" class="action-select" aria-label="{label}">'
        )


def result_list(cl) -> dict:
    """The context of admin/change_list_results.html, as Django's `result_list` tag makes
    it, each row already joined into one cell list of one string."""
    headers = _headers(cl)
    shown = rows(cl)
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": shown,
        # The template's loop over the rows, done here (templates/admin/change_list_results.html).
        "joined_rows": None
        if cl.formset
        else SafeString("".join(f"\n\n<tr>{row[0]}</tr>\n" for row in shown)),
    }


def _headers(cl) -> list[dict]:
    """Django's `result_headers`: each column's title and sorting links, kept per set of
    what they are made of (the language, the columns, the list's query string and order)."""
    if settings.DEBUG:
        return list(result_headers(cl))
    key = (
        "headers",
        cl.opts.label,
        get_language(),
        tuple(_coerce_field_name(name, i) for i, name in enumerate(cl.list_display)),
        None if cl.sortable_by is None else tuple(cl.sortable_by),
        tuple(sorted((name, str(value)) for name, value in cl.params.items())),
        tuple(cl.get_ordering_field_columns().items()),
        cl.is_popup,
    )
    headers = _kept.get(key)
    if headers is None:
        headers = [
            {name: str(value) if isinstance(value, Promise) else value for name, value in h.items()}
            for h in result_headers(cl)
        ]
        _kept.keep(key, headers, limit=KEPT_CHARS)
    return headers


def rows(cl) -> list[ResultList]:
    if cl.formset:
        return list(results(cl))
    columns = _columns(cl)
    address = _Address(cl)

    def written(row) -> SafeString:
        return SafeString("".join(column(row, address) for column in columns))

    key_of = getattr(cl.model_admin, "change_list_row_key", None)
    key_of = None if key_of is None or settings.DEBUG else key_of(cl)
    if key_of is None:
        return [ResultList(None, [written(row)]) for row in cl.result_list]
    # Everything a row's markup depends on besides the row's own values.
    page = (
        cl.opts.label,
        get_language(),
        timezone.get_current_timezone_name(),
        tuple(_coerce_field_name(name, i) for i, name in enumerate(cl.list_display)),
        str(cl.list_display_links),
        address.before,
        address.after,
        cl.is_popup,
        str(cl.to_field),
    )
    shown = []
    for row in cl.result_list:
        key = (page, key_of(row))
        html = _kept.get(key)
        if html is None:
            html = written(row)
            _kept.keep(key, html, limit=KEPT_CHARS)
        shown.append(ResultList(None, [html]))
    return shown


def list_filter(cl, spec) -> str:
    """Django's `admin_list_filter`: a filter's title and choices, kept in memory per set
    of what they are made of (the language, the list's query string, the filter's own
    choices) when Django's own code makes them; never with counts (`_facets`)."""
    if settings.DEBUG or cl.add_facets or type(spec).choices not in _PLAIN_CHOICES:
        return admin_list_filter(cl, spec)
    key = (
        "filter",
        cl.opts.label,
        get_language(),
        type(spec).__module__,
        type(spec).__qualname__,
        spec.template,
        str(spec.title),
        getattr(spec, "field_path", getattr(spec, "parameter_name", "")),
        tuple(sorted((name, tuple(values)) for name, values in cl.filter_params.items())),
        tuple((str(value), str(label)) for value, label in getattr(spec, "lookup_choices", ())),
    )
    html = _kept.get(key)
    if html is None:
        html = admin_list_filter(cl, spec)
        _kept.keep(key, html, limit=KEPT_CHARS)
    return html


class KeptActionsNode(InclusionAdminNode):
    """Django's `{% admin_actions %}`, kept in memory per set of what its markup shows:
    the language, the form's fields (names, labels, choices, initial values), which of the
    page's action bars it is, and the selection counter's numbers and notes. A form bound
    to submitted data is always written."""

    def __init__(self, parser, token):
        super().__init__(parser, token, func=admin_actions, template_name="actions.html")

    def render(self, context):
        form, cl = context.get("action_form"), context.get("cl")
        if settings.DEBUG or form is None or cl is None or form.is_bound:
            return super().render(context)
        index = context.get("action_index", -1) + 1
        fields = tuple(
            (
                name,
                str(field.label),
                tuple((str(value), str(label)) for value, label in getattr(field, "choices", ())),
                str(form.get_initial_for_field(field, name)),
            )
            for name, field in form.fields.items()
        )
        key = (
            "actions",
            cl.opts.label,
            get_language(),
            type(form).__module__,
            type(form).__qualname__,
            form.prefix,
            str(form.auto_id),
            fields,
            index,
            bool(context.get("actions_selection_counter")),
            len(cl.result_list),
            cl.result_count,
            str(context.get("selection_note")),
            str(context.get("selection_note_all")),
            str(context.get("module_name")),
        )
        html = _kept.get(key)
        if html is None:
            html = super().render(context)  # counts this bar in the context, as Django does
            _kept.keep(key, html, limit=KEPT_CHARS)
        else:
            context["action_index"] = index
        return html


def _list_state(cl) -> tuple:
    """What the list's own links and counts are made of, for a kept piece's key."""
    return (
        cl.opts.label,
        get_language(),
        tuple(sorted((name, str(value)) for name, value in cl.params.items())),
        cl.is_popup,
        cl.add_facets,
        cl.result_count,
        cl.full_result_count,
        cl.show_full_result_count,
        getattr(cl.paginator, "estimated", False),
    )


def _pagination_key(cl) -> tuple:
    return (
        "pagination",
        *_list_state(cl),
        cl.page_num,
        cl.paginator.num_pages,
        cl.show_all,
        cl.can_show_all,
        cl.multi_page,
        cl.formset is not None,
        str(cl.opts.verbose_name),
        str(cl.opts.verbose_name_plural),
    )


def _search_form_key(cl) -> tuple:
    return ("search", *_list_state(cl), tuple(cl.search_fields), cl.query, str(cl.search_help_text))


class KeptListNode(InclusionAdminNode):
    """Django's `{% pagination cl %}` or `{% search_form cl %}`, kept in memory per set of
    what its markup shows (`_pagination_key`, `_search_form_key`)."""

    KINDS = {
        "pagination": (pagination, "pagination.html", _pagination_key),
        "search_form": (search_form, "search_form.html", _search_form_key),
    }

    def __init__(self, parser, token, *, kind: str):
        func, template_name, self.key = self.KINDS[kind]
        super().__init__(parser, token, func=func, template_name=template_name, takes_context=False)

    def render(self, context):
        if settings.DEBUG:
            return super().render(context)
        (cl,), _kwargs = self.get_resolved_arguments(context)
        key = self.key(cl)
        html = _kept.get(key)
        if html is None:
            html = super().render(context)
            _kept.keep(key, html, limit=KEPT_CHARS)
        return html


class _Address:
    """Each row's change address with the list's filters kept, as `items_for_result` writes
    it: reversed once, around an integer key; other keys are reversed row by row."""

    def __init__(self, cl):
        self.cl = cl
        try:
            around = self._of(_KEY)
        except NoReverseMatch:
            around = None
        self.before, self.after = around.split(_KEY, 1) if around else (None, None)

    def _of(self, key) -> str:
        cl = self.cl
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(key,),
            current_app=cl.model_admin.admin_site.name,
        )
        return add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
        )

    def of(self, row) -> str | None:
        key = getattr(row, self.cl.pk_attname)
        if type(key) is int and self.before is not None:
            return f"{self.before}{key}{self.after}"
        try:
            return add_preserved_filters(
                {"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts},
                self.cl.url_for_result(row),
            )
        except NoReverseMatch:
            return None


def _columns(cl) -> list:
    """One function per column of `cl.list_display`, writing its cell of a row: the same
    decisions as Django's `items_for_result`, taken once per page instead of once per cell."""
    model_admin = cl.model_admin
    default_empty = model_admin.get_empty_value_display()
    links = cl.list_display_links
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        link = links is not None and ((first and not links) or name in links)
        tag = "td"
        if link:
            tag, first = ("th" if first else "td"), False
        columns.append(_column(cl, model_admin, name, index, default_empty, link, tag))
    return columns


def _column(cl, model_admin, name, index, default_empty, link, tag):
    base = f"field-{_coerce_field_name(name, index)}"
    classes = base
    try:
        field = _get_non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        field = None

    if field is not None:

        def shown(row):
            value = getattr(row, name)
            if field.auto_created:
                value = _blank(value)
                return value, _escaped(display_for_value(value, default_empty))
            if isinstance(field.remote_field, models.ManyToOneRel):
                return value, _escaped(default_empty if value is None else value)
            return value, as_field(value)

        as_field = _shown_as_field(field, default_empty, link)
        if not field.auto_created and isinstance(
            field, models.DateField | models.TimeField | models.ForeignKey
        ):
            classes += " nowrap"
    else:
        if callable(name) or (hasattr(model_admin, name) and name != "__str__"):
            attr = name if callable(name) else getattr(model_admin, name)
            as_value = _shown_as_value(attr, default_empty)

            def shown(row):
                value = _blank(attr(row))
                return value, as_value(value)

        else:
            # A model attribute or a lookup through relations: Django's lookup, row by row.
            def shown(row):
                _field, attr, value = lookup_field(name, row, model_admin)
                value = _blank(value)
                return value, _shown_as_value(attr, default_empty)(value)

    dated = field is None or field.auto_created
    if dated and name == "action_checkbox":
        classes = "action-checkbox"
    plain, nowrap = f'<{tag} class="{classes}">', f'<{tag} class="{classes} nowrap">'
    missing = f'<{tag} class="{base}">', _escaped(default_empty)
    end = f"</{tag}>"

    def cell(row, address):
        try:
            value, html = shown(row)
        except ObjectDoesNotExist:
            start, html = missing
        else:
            dated_value = dated and isinstance(value, datetime.date | datetime.time)
            start = nowrap if dated_value else plain
        if link:
            url = address.of(row)
            if url is not None:
                opener = ""
                if cl.is_popup:
                    key = row.serializable_value(str(cl.to_field) if cl.to_field else cl.pk_attname)
                    opener = f' data-popup-opener="{_escaped(key)}"'
                html = f'<a href="{escape(url)}"{opener}>{html}</a>'
        return f"{start}{html}{end}"

    return cell


def _escaped(value) -> str:
    """Django's `conditional_escape`, without its lazy-string wrapper around each call."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _blank(value):
    """Django shows a text of spaces as an empty one."""
    return "" if isinstance(value, str) and value.strip() == "" else value


def _shown_as_value(attr, default_empty):
    empty = getattr(attr, "empty_value_display", default_empty)
    boolean = getattr(attr, "boolean", False)
    if isinstance(attr, property) and hasattr(attr, "fget"):
        boolean = getattr(attr.fget, "boolean", False)
    if boolean:
        icons = {value: str(_boolean_icon(value)) for value in (True, False, None)}

        def shown(value):
            value = _blank(value)
            if value is True or value is False or value is None:
                return icons[value]
            return str(_boolean_icon(value))

        return shown

    def shown(value):
        return _escaped(display_for_value(_blank(value), empty))

    return shown


def _shown_as_field(field, empty, link):
    if getattr(field, "flatchoices", None):
        try:
            labels = {key: _escaped(label) for key, label in field.flatchoices}
        except TypeError:  # unhashable choices: Django's own lookup
            labels = None
        if labels is not None:
            escaped_empty = _escaped(empty)

            def shown(value):
                try:
                    return labels.get(_blank(value), escaped_empty)
                except TypeError:
                    return _escaped(display_for_field(value, field, empty))

            return shown

    def shown(value):
        return _escaped(display_for_field(_blank(value), field, empty, avoid_link=link))

    return shown
