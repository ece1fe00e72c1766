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
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from entreprises.columns import SECTOR_SEPARATOR, SPREADSHEET
from entreprises.enums import Status
from entreprises.models import Enterprise, EnterpriseSector, Sector
from entreprises.selectors import enterprises_visible_to
from entreprises.services import refresh_search_vectors
from entreprises.spreadsheets import read_rows
from poles.models import Pole, Region
from poles.selectors import is_national_team, poles_of


class ImportRejected(Exception):
    """The import was refused as a whole; nothing was written."""


@dataclass
class ImportRow:
    line: int
    enterprise: Enterprise
    action: str = "create"  # or "update"
    primary: Sector | None = None
    others: list[Sector] = field(default_factory=list)
    sectors_given: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)


# The slug of a name that has no letter or digit to make one from.
FALLBACK_SLUG = "entreprise"
# The spreadsheet's columns a row writes as they are; the slug, pole, region and sectors
# are looked up. Each is read as the kind of its model field.
_LOOKED_UP = {"slug", "pole", "region", "primary_sector", "other_sectors"}
_FIELDS = {name: Enterprise._meta.get_field(name) for name in SPREADSHEET if name not in _LOOKED_UP}
INTEGER_COLUMNS = [name for name, f in _FIELDS.items() if isinstance(f, models.IntegerField)]
DECIMAL_COLUMNS = [name for name, f in _FIELDS.items() if isinstance(f, models.DecimalField)]
TEXT_COLUMNS = [name for name in _FIELDS if name not in INTEGER_COLUMNS + DECIMAL_COLUMNS]


# An XLSX is zipped XML: it may unpack to this many times the size of the file, no more.
XLSX_UNPACK_RATIO = 10


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
        for label, key in [
            ("NEQ", enterprise.neq),
            (_("slug"), enterprise.slug),
            (_("name and city"), _name_city(enterprise)),
        ]:
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
    poles: dict[str, Pole]
    poles_by_id: dict[int, Pole]
    regions: dict[str, Region]
    sectors: dict[str, Sector]
    by_slug: dict[str, Enterprise]
    by_neq: dict[str, Enterprise]
    taken_slugs: set[str]
    names_in_cities: set[str]
    visible_names_in_cities: set[str]

    @classmethod
    def load(cls, *, user, rows: Sequence[dict[str, str]]) -> "_ImportLookup":
        slugs = {cells.get("slug", "") for cells in rows} - {""}
        neqs = {cells.get("neq", "") for cells in rows} - {""}
        existing = Enterprise.objects.filter(Q(slug__in=slugs) | Q(neq__in=neqs)).prefetch_related(
            "sector_links"
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
            poles={pole.slug: pole for pole in poles},
            poles_by_id={pole.pk: pole for pole in poles},
            regions={region.code: region for region in Region.objects.all()},
            sectors={sector.slug: sector for sector in Sector.objects.all()},
            by_slug=by_slug,
            by_neq=by_neq,
            taken_slugs=taken,
            names_in_cities=names_in_cities,
            visible_names_in_cities=visible_names_in_cities,
        )

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
    else:
        enterprise = Enterprise(status=Status.DRAFT)
        row = ImportRow(line=line, enterprise=enterprise, action="create")
    row.errors = errors

    for column in TEXT_COLUMNS:
        if column in header:
            setattr(enterprise, column, cells[column])
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
            exclude=["slug", "pole", "region"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.extend(
                message if name == NON_FIELD_ERRORS else _column_error(name, message)
                for message in messages
            )
    return row


def _column_error(column: str, message: str) -> str:
    # Translators: an import error about one column of a row, e.g. "neq: ten digits"
    return _("%(column)s: %(message)s") % {"column": column, "message": message}


def _assign_pole_and_region(*, row: ImportRow, cells, header, lookup: _ImportLookup) -> None:
    enterprise = row.enterprise
    if "pole" in header and cells["pole"]:
        pole = lookup.poles.get(cells["pole"])
        if pole is None:
            row.errors.append(_("pole: there is no pole “%(slug)s”.") % {"slug": cells["pole"]})
        elif pole.pk not in lookup.allowed_pole_ids:
            row.errors.append(
                _("pole: you cannot put an enterprise in “%(pole)s”, a pole you do not work for.")
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
        code = cells["region"].zfill(2) if cells["region"] else ""
        region = lookup.regions.get(code)
        if code and region is None:
            row.errors.append(
                _("region: there is no region with code “%(code)s”.") % {"code": cells["region"]}
            )
        enterprise.region = region


def _assign_sectors(*, row: ImportRow, cells, header, lookup: _ImportLookup) -> None:
    if "primary_sector" not in header:
        if row.action == "create":
            row.errors.append(_("primary_sector: give the primary sector of this enterprise."))
        return
    row.sectors_given = True
    slug = cells["primary_sector"]
    if not slug:
        row.errors.append(_("primary_sector: give the primary sector of this enterprise."))
    else:
        row.primary = lookup.sectors.get(slug)
        if row.primary is None:
            row.errors.append(_("primary_sector: there is no sector “%(slug)s”.") % {"slug": slug})
    others = cells.get("other_sectors", "")
    for other in dict.fromkeys(s.strip() for s in others.split(SECTOR_SEPARATOR) if s.strip()):
        sector = lookup.sectors.get(other)
        if sector is None:
            row.errors.append(_("other_sectors: there is no sector “%(slug)s”.") % {"slug": other})
        elif sector != row.primary:
            row.others.append(sector)


@transaction.atomic
def run_import(*, user, header: Sequence[str], rows: Sequence[dict[str, str]]) -> ImportPlan:
    """Import every row, or none: when one row has an error nothing is written."""
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
    created = [row.enterprise for row in plan.rows if row.action == "create"]
    updated = [row.enterprise for row in plan.rows if row.action == "update"]
    for enterprise in created:
        enterprise.created_at = enterprise.updated_at = now
    for enterprise in updated:
        enterprise.updated_at = now
    bulk_create_with_history(created, Enterprise, batch_size=2000, default_user=user)
    fields = [
        column for column in [*TEXT_COLUMNS, *INTEGER_COLUMNS, *DECIMAL_COLUMNS] if column in header
    ]
    fields += ["pole", "region", "updated_at"]
    bulk_update_with_history(updated, Enterprise, fields, batch_size=2000, default_user=user)
    with_sectors = [row for row in plan.rows if row.sectors_given]
    EnterpriseSector.objects.filter(
        enterprise__in=[row.enterprise.pk for row in with_sectors if row.action == "update"]
    ).delete()
    EnterpriseSector.objects.bulk_create(
        [
            link
            for row in with_sectors
            for link in [
                EnterpriseSector(enterprise=row.enterprise, sector=row.primary, is_primary=True),
                *(EnterpriseSector(enterprise=row.enterprise, sector=s) for s in row.others),
            ]
        ],
        batch_size=5000,
    )
    refresh_search_vectors(ids=[row.enterprise.pk for row in plan.rows])
    return plan
