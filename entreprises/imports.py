"""Import enterprises from a spreadsheet's rows: plan every row (with its errors, writing
nothing), then write all rows or none. Longer than most modules because one import is one
topic: the row checks, the reference lookups read in a few queries, and the bulk write."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models, transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from common.api.languages import LANGUAGE_CODES
from entreprises import opening_hours, typed_values
from entreprises.columns import COLUMNS, CUSTOMER_SEPARATOR, SECTOR_SEPARATOR, SPREADSHEET
from entreprises.enums import Customer, Status
from entreprises.models import Enterprise, EnterpriseSector, Sector
from entreprises.selectors import enterprises_visible_to
from entreprises.services import FALLBACK_SLUG, primary_and_others, refresh_search_vectors
from entreprises.spreadsheets import read_rows
from poles.models import Pole, Region
from poles.selectors import is_national_team, poles_of


class ImportRejected(Exception):
    """The import was refused as a whole; nothing was written."""


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class ImportRow:
    line: int
    enterprise: Enterprise
    action: str = "create"  # "update" (the row changes something), "unchanged" or "example"
    primary: Sector | None = None
    others: list[Sector] = field(default_factory=list)
    sectors_given: bool = False
    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    # Columns whose cell named nothing: their error is said once, not again by full_clean.
    unread: set[str] = field(default_factory=set)


@dataclass
class ImportPlan:
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def writes(self) -> bool:
        return any(row.action in ("create", "update") for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)


# The spreadsheet's columns a row writes as they are; the slug, pole, region and sectors
# are looked up. Each is read as the kind of its model field.
# Choices read through their vocabulary (entreprises/typed_values.py).
CHOICE_COLUMNS = {
    "legal_form": typed_values.legal_forms,
    "cooperative_type": typed_values.cooperative_types,
    "status": typed_values.statuses,
    "step_free_access": typed_values.step_free_access,
}
# Columns read by a parser of their own: the hours' text, the customers' list.
PARSED_COLUMNS = ["opening_hours", "sells_to"]
_LOOKED_UP = {
    "slug",
    "pole",
    "region",
    "primary_sector",
    "other_sectors",
    *CHOICE_COLUMNS,
    *PARSED_COLUMNS,
}
_FIELDS = {name: Enterprise._meta.get_field(name) for name in SPREADSHEET if name not in _LOOKED_UP}
INTEGER_COLUMNS = [name for name, f in _FIELDS.items() if isinstance(f, models.IntegerField)]
DECIMAL_COLUMNS = [name for name, f in _FIELDS.items() if isinstance(f, models.DecimalField)]
TEXT_COLUMNS = [name for name in _FIELDS if name not in INTEGER_COLUMNS + DECIMAL_COLUMNS]
# The columns an update writes when the file has them.
WRITTEN_COLUMNS = [
    *TEXT_COLUMNS,
    *CHOICE_COLUMNS,
    *PARSED_COLUMNS,
    *INTEGER_COLUMNS,
    *DECIMAL_COLUMNS,
]


# The templates' example line: its name says it is never imported, and it is not.
EXAMPLE_NAME = gettext_lazy("Example (this line is never imported)")


def is_example_row(cells: dict[str, str]) -> bool:
    names = set()
    for code in LANGUAGE_CODES:
        with translation.override(code):
            names.add(typed_values.typed_key(EXAMPLE_NAME))
    return not cells.get("slug") and typed_values.typed_key(cells.get("name_fr", "")) in names


# An XLSX is zipped XML: it may unpack to this many times the size of the file, no more.
XLSX_UNPACK_RATIO = 10


# Who may import: add and change enterprises (within their poles, which each row checks).
IMPORT_PERMISSIONS = ("entreprises.add_enterprise", "entreprises.change_enterprise")


def may_import(user) -> bool:
    """The admin's import pages and the worker that writes a confirmed file ask this."""
    return user.has_perms(IMPORT_PERMISSIONS)


def check_import_size(*, size: int) -> None:
    """Refuse a file too large to import, before reading it."""
    limit = settings.ENTERPRISE_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRejected(
            _(
                "The file weighs %(size)s; at most %(max)s can be imported at once. "
                "Split it into several files."
            )
            % {"size": filesizeformat(size), "max": filesizeformat(limit)}
        )


def read_import_file(*, name: str, content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a file to import, within the import's limits."""
    check_import_size(size=len(content))
    return read_rows(
        name=name,
        content=content,
        max_rows=settings.ENTERPRISE_IMPORT_MAX_ROWS,
        max_unpacked_bytes=settings.ENTERPRISE_IMPORT_MAX_BYTES * XLSX_UNPACK_RATIO,
    )


def plan_import(*, user, header: Sequence[str], rows: Sequence[dict[str, str]]) -> ImportPlan:
    """What importing these rows would do, row by row, with every error; writes nothing.

    A row whose slug (else NEQ) names an existing enterprise updates it; any other row
    creates one. Lines are numbered as in the file (the header is line 1).
    """
    lookup = _ImportLookup.load(user=user, rows=rows)
    plan = ImportPlan()
    seen: dict[tuple[str, str], int] = {}
    for index, cells in enumerate(rows):
        row = _plan_row(line=index + 2, cells=cells, header=header, lookup=lookup, user=user)
        enterprise = row.enterprise
        keys = [("NEQ", enterprise.neq), (_("slug"), enterprise.slug)]
        if row.action == "create":
            # Two existing records may share a name in one city (the form lets staff confirm
            # it): only new rows are held to it.
            keys.append((_("name and city"), _name_city(enterprise)))
        for label, key in keys:
            if not key:
                continue
            earlier = seen.setdefault((label, key), row.line)
            if earlier != row.line:
                row.errors.append(
                    _("Duplicate: line %(earlier)s has the same %(what)s.")
                    % {"earlier": earlier, "what": label}
                )
        plan.rows.append(row)
    return plan


def _name_city(enterprise: Enterprise) -> str:
    if not enterprise.name_fr or not enterprise.city:
        return ""
    return f"{enterprise.name_fr.strip().lower()}|{enterprise.city.strip().lower()}"


@dataclass
class _ImportLookup:
    """Everything the rows refer to, read in a few queries rather than one per row."""

    national: bool
    allowed_pole_ids: set[int]
    poles: typed_values.Vocabulary
    poles_by_id: dict[int, Pole]
    regions: typed_values.Vocabulary
    sectors: typed_values.Vocabulary
    choices: dict[str, typed_values.Vocabulary]
    customers: typed_values.Vocabulary
    by_slug: dict[str, Enterprise]
    by_neq: dict[str, Enterprise]
    taken_slugs: set[str]
    names_in_cities: set[str]
    visible_names_in_cities: set[str]

    @classmethod
    def load(cls, *, user, rows: Sequence[dict[str, str]]) -> "_ImportLookup":
        slugs = {cells.get("slug", "") for cells in rows} - {""}
        neqs = {cells.get("neq", "") for cells in rows} - {""}
        links = EnterpriseSector.objects.select_related("sector").order_by(
            "-is_primary", "sector__slug"
        )
        existing = (
            Enterprise.objects.filter(Q(slug__in=slugs) | Q(neq__in=neqs))
            .select_related("pole", "region")
            .prefetch_related(Prefetch("sector_links", queryset=links))
        )
        by_slug, by_neq = {}, {}
        for enterprise in existing:
            by_slug[enterprise.slug] = enterprise
            if enterprise.neq:
                by_neq[enterprise.neq] = enterprise
        names = {cells.get("name_fr", "").strip().lower() for cells in rows} - {""}
        names_in_cities = _names_in_cities(Enterprise.objects.all(), names=names)
        visible = _names_in_cities(enterprises_visible_to(user=user), names=names)
        return cls._with_references(
            user=user,
            by_slug=by_slug,
            by_neq=by_neq,
            names_in_cities=names_in_cities,
            visible_names_in_cities=visible,
            taken=_taken_slugs(
                given=slugs,
                bases={slugify(cells.get("name_fr", ""))[:200] for cells in rows} - {""}
                | {FALLBACK_SLUG},
            ),
        )

    @classmethod
    def _with_references(
        cls, *, user, by_slug, by_neq, names_in_cities, visible_names_in_cities, taken
    ):
        poles = list(Pole.objects.prefetch_related("regions"))
        return cls(
            national=is_national_team(user=user),
            allowed_pole_ids=set(poles_of(user=user).values_list("pk", flat=True)),
            poles=typed_values.poles(poles),
            poles_by_id={pole.pk: pole for pole in poles},
            regions=typed_values.regions(Region.objects.all()),
            sectors=typed_values.sectors(Sector.objects.all()),
            choices={column: vocabulary() for column, vocabulary in CHOICE_COLUMNS.items()},
            customers=typed_values.customers(),
            by_slug=by_slug,
            by_neq=by_neq,
            taken_slugs=taken,
            names_in_cities=names_in_cities,
            visible_names_in_cities=visible_names_in_cities,
        )

    @property
    def allowed_poles(self) -> set[Pole]:
        return {self.poles_by_id[pk] for pk in self.allowed_pole_ids}

    def new_slug(self, name: str) -> str:
        base = slugify(name)[:200] or FALLBACK_SLUG
        slug, number = base, 2
        while slug in self.taken_slugs:
            slug, number = f"{base}-{number}", number + 1
        self.taken_slugs.add(slug)
        return slug


def _names_in_cities(enterprises, *, names: set[str]) -> set[str]:
    """The "name|city" keys (lowercase) of these enterprises named one of `names`."""
    return {
        f"{name}|{city}"
        for name, city in enterprises.annotate(
            lower_name=Lower("name_fr"), lower_city=Lower("city")
        )
        .filter(lower_name__in=names)
        .values_list("lower_name", "lower_city")
    }


def _taken_slugs(*, given: set[str], bases: set[str]) -> set[str]:
    """The existing slugs a new row could collide with: those given, the bases of the new
    names, and the numbered variants of the bases already taken."""
    taken = set(Enterprise.objects.filter(slug__in=given | bases).values_list("slug", flat=True))
    crowded = sorted(bases & taken)
    if len(crowded) > 20:
        # Many names already taken: reading every slug at once is cheaper than matching.
        with connection.cursor() as cursor:
            cursor.execute("SELECT slug FROM entreprises_enterprise")
            return {slug for (slug,) in cursor.fetchall()}
    if crowded:
        pattern = "|".join(re.escape(base) for base in crowded)
        taken.update(
            Enterprise.objects.filter(slug__regex=rf"^({pattern})-[0-9]+$").values_list(
                "slug", flat=True
            )
        )
    return taken


def _plan_row(*, line, cells, header, lookup: _ImportLookup, user) -> ImportRow:
    if is_example_row(cells):
        return ImportRow(
            line=line, enterprise=Enterprise(name_fr=cells["name_fr"]), action="example"
        )
    errors: list[str] = []
    slug, neq = cells.get("slug", ""), cells.get("neq", "")
    existing = lookup.by_slug.get(slug) if slug else lookup.by_neq.get(neq)
    if existing is not None and existing.pole_id not in lookup.allowed_pole_ids:
        # Only what the row itself says: never another pole's name or slug.
        return ImportRow(
            line=line,
            enterprise=Enterprise(name_fr=cells.get("name_fr", "")),
            action="update",
            errors=[_("This enterprise belongs to a pole you do not work for.")],
        )
    if existing is not None:
        enterprise = existing
        row = ImportRow(line=line, enterprise=enterprise, action="update")
        before = _shown(enterprise, header)
    else:
        enterprise = Enterprise(status=Status.DRAFT)
        row = ImportRow(line=line, enterprise=enterprise, action="create")
        before = None
    row.errors = errors

    for column in TEXT_COLUMNS:
        if column in header:
            setattr(enterprise, column, cells[column])
    _assign_choices(row=row, cells=cells, header=header, lookup=lookup)
    _assign_parsed(row=row, cells=cells, header=header, lookup=lookup)
    for column in INTEGER_COLUMNS:
        if column in header:
            value = cells[column]
            if value and not value.isdigit():
                errors.append(_("%(column)s: enter a whole number.") % {"column": column})
                value = ""
            setattr(enterprise, column, int(value) if value else None)
    for column in DECIMAL_COLUMNS:
        if column in header:
            value = cells[column].replace(",", ".")
            try:
                setattr(enterprise, column, Decimal(value) if value else None)
            except InvalidOperation:
                errors.append(_("%(column)s: enter a number.") % {"column": column})
                setattr(enterprise, column, None)
    if row.action == "create":
        if slug:
            enterprise.slug = slug
            lookup.taken_slugs.add(slug)
        else:
            enterprise.slug = lookup.new_slug(enterprise.name_fr)
        key = _name_city(enterprise)
        if key and key in lookup.names_in_cities and key not in lookup.visible_names_in_cities:
            errors.append(
                _("Duplicate: a record of another pole has the same name in the same city.")
            )
        elif key and key in lookup.names_in_cities:
            errors.append(
                _("Duplicate: an enterprise named “%(name)s” already exists in %(city)s.")
                % {"name": enterprise.name_fr, "city": enterprise.city}
            )
    if neq and (other := lookup.by_neq.get(neq)) and other is not existing:
        errors.append(_column_error("neq", _("Another enterprise already has this NEQ.")))

    _assign_pole_and_region(row=row, cells=cells, header=header, lookup=lookup)
    _assign_sectors(row=row, cells=cells, header=header, lookup=lookup)
    try:
        # Pole and region were read from the lookup: no query per row to check they exist.
        enterprise.full_clean(
            exclude=["slug", "pole", "region", *row.unread],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.extend(
                message if name == NON_FIELD_ERRORS else _column_error(name, message)
                for message in messages
            )
    if before is not None and not errors:
        after = _shown(enterprise, header, sectors=row if row.sectors_given else None)
        row.changes = [
            Change(column=column, old=before[column], new=after[column])
            for column in after
            if before[column] != after[column]
        ]
        if not row.changes:
            row.action = "unchanged"
    return row


def _shown(enterprise: Enterprise, header, sectors: ImportRow | None = None) -> dict[str, str]:
    """The columns of `header` as a person reads them: labels rather than codes, sector
    names; the sectors of `sectors` when given, else the enterprise's links."""
    shown = {}
    for column in header:
        if column in CHOICE_COLUMNS:
            shown[column] = str(getattr(enterprise, f"get_{column}_display")())
        elif column == "sells_to":
            labels = dict(Customer.choices)
            shown[column] = ", ".join(str(labels[c]) for c in enterprise.sells_to or [])
        elif column == "pole":
            shown[column] = enterprise.pole.name if enterprise.pole else ""
        elif column == "region":
            shown[column] = (
                typed_values.region_label(enterprise.region) if enterprise.region else ""
            )
        elif column in ("primary_sector", "other_sectors"):
            continue
        elif column in COLUMNS and column != "slug":
            shown[column] = COLUMNS[column].value(enterprise)
    if "primary_sector" in header:
        if sectors is not None:
            primary, others = sectors.primary, sectors.others
        else:
            links = list(enterprise.sector_links.all())
            primary = next((link.sector for link in links if link.is_primary), None)
            others = [link.sector for link in links if not link.is_primary]
        shown["primary_sector"] = primary.name if primary else ""
        shown["other_sectors"] = "; ".join(sorted(sector.name for sector in others))
    return shown


def _column_error(column: str, message: str) -> str:
    # Translators: an import error about one column of a row, e.g. "neq: ten digits"
    return _("%(column)s: %(message)s") % {"column": column, "message": message}


def _assign_choices(*, row: ImportRow, cells, header, lookup: _ImportLookup) -> None:
    for column, vocabulary in lookup.choices.items():
        if column not in header:
            continue
        typed = cells[column]
        if not typed:
            if column == "status" and row.action != "create":
                continue  # an empty status leaves it as it is; a new record is a draft
            setattr(row.enterprise, column, Enterprise._meta.get_field(column).get_default())
            continue
        value = vocabulary.find(typed)
        if value is None:
            row.errors.append(_column_error(column, vocabulary.unknown(typed)))
            row.unread.add(column)
        else:
            setattr(row.enterprise, column, value)


def _assign_parsed(*, row: ImportRow, cells, header, lookup: _ImportLookup) -> None:
    enterprise = row.enterprise
    if "opening_hours" in header:
        try:
            enterprise.opening_hours = opening_hours.parse(cells["opening_hours"])
        except ValidationError as error:
            row.errors.extend(_column_error("opening_hours", m) for m in error.messages)
            row.unread.add("opening_hours")
            enterprise.opening_hours = {}
    if "sells_to" in header:
        typed = [t.strip() for t in re.split(rf"[{CUSTOMER_SEPARATOR},]", cells["sells_to"])]
        typed = [t for t in typed if t]
        found = []
        for name in typed:
            customer = lookup.customers.find(name)
            if customer is None:
                row.errors.append(_column_error("sells_to", lookup.customers.unknown(name)))
            elif customer not in found:
                found.append(customer)
        # In the choices' order, whatever the order typed: one spelling of each list.
        enterprise.sells_to = [c for c in lookup.customers.labels if c in found]


def _assign_pole_and_region(*, row: ImportRow, cells, header, lookup: _ImportLookup) -> None:
    enterprise = row.enterprise
    if "pole" in header and cells["pole"]:
        typed = cells["pole"]
        try:
            pole = lookup.poles.find(typed, among=lookup.allowed_poles)
        except typed_values.Ambiguous as error:
            row.errors.append(_column_error("pole", str(error)))
        else:
            if pole is None:
                message = lookup.poles.unknown(typed, among=lookup.allowed_poles)
                row.errors.append(_column_error("pole", message))
            elif pole.pk not in lookup.allowed_pole_ids:
                row.errors.append(
                    _(
                        "pole: you cannot put an enterprise in “%(pole)s”, a pole you do not "
                        "work for."
                    )
                    % {"pole": pole.name}
                )
            else:
                enterprise.pole = pole
    elif "pole" in header or row.action == "create":
        if lookup.national:
            enterprise.pole = None
        elif len(lookup.allowed_pole_ids) == 1:
            # Staff of a single pole: their pole, as in the admin's form.
            (pole_id,) = lookup.allowed_pole_ids
            enterprise.pole = lookup.poles_by_id[pole_id]
        else:
            row.errors.append(_("pole: give the pole of this enterprise."))
    elif enterprise.pole_id:
        # The pole as read once with its regions, for the region check.
        enterprise.pole = lookup.poles_by_id[enterprise.pole_id]
    if "region" in header:
        typed = cells["region"]
        region = lookup.regions.find(typed) if typed else None
        if typed and region is None:
            row.errors.append(_column_error("region", lookup.regions.unknown(typed)))
        enterprise.region = region


def _assign_sectors(*, row: ImportRow, cells, header, lookup: _ImportLookup) -> None:
    if "primary_sector" not in header:
        return
    row.sectors_given = True
    primaries, others = [], []
    typed = cells["primary_sector"]
    if typed:
        primaries = _sectors_named(row, "primary_sector", [typed], lookup)
    named = [s.strip() for s in cells.get("other_sectors", "").split(SECTOR_SEPARATOR)]
    others = _sectors_named(row, "other_sectors", [s for s in named if s], lookup)
    try:
        row.primary, row.others = primary_and_others(sectors=others, primaries=primaries)
    except ValidationError as error:
        row.errors.extend(_column_error("primary_sector", message) for message in error.messages)


def _sectors_named(row: ImportRow, column: str, names: list[str], lookup) -> list[Sector]:
    found = []
    for name in names:
        sector = lookup.sectors.find(name)
        if sector is None:
            row.errors.append(_column_error(column, lookup.sectors.unknown(name)))
        else:
            found.append(sector)
    return found


@transaction.atomic
def run_import(*, user, header: Sequence[str], rows: Sequence[dict[str, str]]) -> ImportPlan:
    """Import every row, or none: when one row has an error nothing is written. A row that
    changes nothing writes nothing (no history, no new date)."""
    plan = plan_import(user=user, header=header, rows=rows)
    if not plan.is_valid:
        count = len(plan.errors)
        raise ImportRejected(
            ngettext(
                "%(count)s row has an error; nothing was imported.",
                "%(count)s rows have errors; nothing was imported.",
                count,
            )
            % {"count": count}
        )
    now = timezone.now()
    created = [row for row in plan.rows if row.action == "create"]
    updated = [row for row in plan.rows if row.action == "update"]
    for row in created:
        row.enterprise.created_at = row.enterprise.updated_at = now
    for row in updated:
        row.enterprise.updated_at = now
    bulk_create_with_history(
        [row.enterprise for row in created], Enterprise, batch_size=2000, default_user=user
    )
    fields = [column for column in WRITTEN_COLUMNS if column in header]
    fields += ["pole", "region", "updated_at"]
    bulk_update_with_history(
        [row.enterprise for row in updated], Enterprise, fields, batch_size=2000, default_user=user
    )
    with_sectors = [row for row in created + updated if row.sectors_given]
    EnterpriseSector.objects.filter(
        enterprise__in=[row.enterprise.pk for row in with_sectors if row.action == "update"]
    ).delete()
    EnterpriseSector.objects.bulk_create(
        [
            link
            for row in with_sectors
            for link in [
                *(
                    [
                        EnterpriseSector(
                            enterprise=row.enterprise, sector=row.primary, is_primary=True
                        )
                    ]
                    if row.primary
                    else []
                ),
                *(EnterpriseSector(enterprise=row.enterprise, sector=s) for s in row.others),
            ]
        ],
        batch_size=5000,
    )
    refresh_search_vectors(ids=[row.enterprise.pk for row in created + updated])
    return plan
