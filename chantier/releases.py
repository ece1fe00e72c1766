"""Dated open-data releases: the public tables as CSV with a Frictionless Data Package
(`datapackage.json`: Table Schemas with types, enums, keys), and the enterprises as GeoJSON.

A release is written once: its files go to the media storage under
`open-data/<date>/` and are never rewritten (a second release the same day is
refused), and its row (`OpenDataRelease`) keeps each file's size and SHA-256.
Each table is declared once below; its CSV and its Table Schema both derive
from that declaration. The enterprises' CSV is the API's own
(`entreprises.api.formats.csv_copy`), so text cells follow the same rule
against formulas (a leading apostrophe, see docs/api.md). Over 350 lines because the
six tables' declarations take half of it: kept beside the writer that reads them, so
that a column and how it is written are seen together.
"""

import contextlib
import csv
import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation

from chantier.models import OpenDataRelease
from common.api.languages import LANGUAGE_CODES
from entreprises.api.formats import csv_copy, geojson_features
from entreprises.columns import API_CSV, API_JOINER, neutralised
from entreprises.enums import CooperativeType, LegalForm, Status
from entreprises.models import Enterprise, Sector
from evenements.enums import EventKind, OrganizationKind
from evenements.models import Event, Organization
from poles.models import Pole, Region

STORAGE_PREFIX = "open-data"
CSV_MEDIA_TYPE = "text/csv"
GEOJSON_MEDIA_TYPE = "application/geo+json"
PACKAGE_FILE = "datapackage.json"


class ReleaseError(Exception):
    """A release that cannot be written; the message says why, for the person running it."""


class ReleaseExists(ReleaseError):
    pass


@dataclass(frozen=True)
class Column:
    """One column of a table: its Table Schema field and how a record gives its cell."""

    name: str
    type: str = "string"
    read: Callable | None = None  # None: the record's attribute `name`
    enum: tuple = ()
    pattern: str = ""
    required: bool = False
    unique: bool = False

    def schema(self) -> dict:
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        descriptor = {"name": self.name, "type": self.type}
        if self.type == "number":
            descriptor["decimalChar"] = "."
        if constraints:
            descriptor["constraints"] = constraints
        return descriptor

    def cell(self, record) -> str:
        value = self.read(record) if self.read else getattr(record, self.name)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, int | float):
            return str(value)
        return neutralised(str(value)) if self.type == "string" else str(value)


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: list[Column]
    primary_key: list[str]
    # (column, other table, its column)
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)
    records: Callable[[], Iterable] | None = None  # None: written by `write_rows`
    write_rows: Callable | None = None

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def schema(self) -> dict:
        return {
            "fields": [column.schema() for column in self.columns],
            "primaryKey": self.primary_key,
            "foreignKeys": [
                {"fields": [own], "reference": {"resource": other, "fields": [theirs]}}
                for own, other, theirs in self.foreign_keys
            ],
            "missingValues": [""],
        }


def _translations(name: str, *, required: bool = False) -> list[Column]:
    return [Column(f"{name}_{code}", required=required and code == "fr") for code in LANGUAGE_CODES]


def _joined(getter: Callable) -> Callable:
    return lambda record: API_JOINER.join(getter(record))


def _page_url(url_name: str) -> Callable:
    def read(record) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return settings.SITE_URL + reverse(url_name, kwargs={"slug": record.slug})

    return read


SLUG = r"^[-a-zA-Z0-9_]+$"
REGION_CODE = r"^[0-9]{2}$"

# The enterprises' CSV is the API's (its columns: entreprises/columns.py); these are the
# types of its columns that are not text. A column added there reaches the release as a
# string until it is named here.
ENTERPRISE_TYPES = {
    "id": "integer",
    "latitude": "number",
    "longitude": "number",
    "founded_year": "integer",
    "employees": "integer",
    "created_at": "datetime",
    "updated_at": "datetime",
}
ENTERPRISE_CONSTRAINTS = {
    "id": {"required": True, "unique": True},
    "slug": {"required": True, "unique": True, "pattern": SLUG},
    "name_fr": {"required": True},
    "legal_form": {"enum": tuple(LegalForm.values)},
    "cooperative_type": {"enum": tuple(CooperativeType.values)},
    "status": {"enum": (Status.PUBLISHED.value,)},
    "region": {"pattern": REGION_CODE},
}


def _enterprise_columns() -> list[Column]:
    return [
        Column(
            name, type=ENTERPRISE_TYPES.get(name, "string"), **ENTERPRISE_CONSTRAINTS.get(name, {})
        )
        for name in API_CSV
    ]


def _write_enterprises(writer_file) -> int:
    enterprises = Enterprise.objects.published()
    for block in csv_copy(enterprises, site_address_context(), reason_column=False):
        writer_file.write(block)
    return enterprises.count()


def site_address_context() -> dict:
    """The API's address context without a request: absolute addresses on SITE_URL."""
    return {"request": SimpleNamespace(build_absolute_uri=lambda path: settings.SITE_URL + path)}


TABLES = [
    Table(
        name="regions",
        title="Administrative regions of Québec / Régions administratives du Québec",
        columns=[
            Column("code", required=True, unique=True, pattern=REGION_CODE),
            *_translations("name", required=True),
        ],
        primary_key=["code"],
        records=lambda: Region.objects.order_by("code"),
    ),
    Table(
        name="poles",
        title="Regional social economy poles / Pôles régionaux d’économie sociale",
        columns=[
            Column("id", type="integer", required=True, unique=True),
            Column("slug", required=True, unique=True, pattern=SLUG),
            *_translations("name", required=True),
            *_translations("territory"),
            *_translations("description"),
            Column("regions", read=_joined(lambda p: [r.code for r in p.regions.all()])),
            Column("mrcs", read=_joined(lambda p: p.mrcs or [])),
            Column("website"),
            Column("email"),
            Column("phone"),
            Column("street_address"),
            Column("city"),
            Column("postal_code"),
            Column("latitude", type="number"),
            Column("longitude", type="number"),
            Column("founded_year", type="integer"),
            *_translations("source"),
            Column("updated_at", type="datetime"),
            Column("web_url", read=_page_url("poles:detail")),
        ],
        primary_key=["id"],
        records=lambda: Pole.objects.prefetch_related("regions").order_by("id"),
    ),
    Table(
        name="sectors",
        title="Sectors of activity / Secteurs d’activité",
        columns=[
            Column("id", type="integer", required=True, unique=True),
            Column("slug", required=True, unique=True, pattern=SLUG),
            *_translations("name", required=True),
            *_translations("description"),
            Column("parent", read=lambda s: s.parent.slug if s.parent else None),
            Column("essglobal_code"),
            Column("updated_at", type="datetime"),
        ],
        primary_key=["id"],
        foreign_keys=[("parent", "sectors", "slug")],
        records=lambda: Sector.objects.select_related("parent").order_by("id"),
    ),
    Table(
        name="enterprises",
        title="Collective enterprises (published) / Entreprises collectives (publiées)",
        columns=_enterprise_columns(),
        primary_key=["id"],
        foreign_keys=[
            ("pole", "poles", "slug"),
            ("region", "regions", "code"),
            ("primary_sector", "sectors", "slug"),
        ],
        write_rows=_write_enterprises,
    ),
    Table(
        name="organizations",
        title=(
            "Partner and international organizations / Organisations partenaires et internationales"
        ),
        columns=[
            Column("id", type="integer", required=True, unique=True),
            Column("slug", required=True, unique=True, pattern=SLUG),
            *_translations("name", required=True),
            *_translations("acronym"),
            Column("kind", enum=tuple(OrganizationKind.values)),
            Column("country", read=lambda o: o.country.code or None),
            *_translations("description"),
            Column("website"),
            Column("founded_year", type="integer"),
            *_translations("source"),
            Column("updated_at", type="datetime"),
        ],
        primary_key=["id"],
        records=lambda: Organization.objects.order_by("id"),
    ),
    Table(
        name="events",
        title="International events and milestones / Événements internationaux et jalons",
        columns=[
            Column("id", type="integer", required=True, unique=True),
            Column("slug", required=True, unique=True, pattern=SLUG),
            *_translations("name", required=True),
            Column("kind", enum=tuple(EventKind.values)),
            Column("year", type="integer"),
            Column("start_date", type="date"),
            Column("end_date", type="date"),
            *_translations("venue"),
            *_translations("city"),
            Column("country", read=lambda e: e.country.code or None),
            *_translations("description"),
            Column("participants", type="integer"),
            Column("countries_count", type="integer"),
            Column("countries_approximate", type="boolean"),
            Column("countries", read=_joined(lambda e: [c.code for c in e.countries])),
            Column("organizers", read=_joined(lambda e: [o.slug for o in e.organizers.all()])),
            Column("partners", read=_joined(lambda e: [o.slug for o in e.partners.all()])),
            Column(
                "enterprises_visited",
                read=_joined(lambda e: [v.slug for v in e.published_visits]),
            ),
            *_translations("source"),
            Column("updated_at", type="datetime"),
            Column("web_url", read=_page_url("evenements:detail")),
        ],
        primary_key=["id"],
        records=lambda: Event.objects.prefetch_related(
            "organizers",
            "partners",
            Prefetch(
                "enterprises_visited",
                queryset=Enterprise.objects.published().only("id", "slug").order_by("slug"),
                to_attr="published_visits",
            ),
        ).order_by("id"),
    ),
]


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    media_type: str
    bytes: int
    sha256: str

    def as_dict(self, *, path: str) -> dict:
        return {
            "name": self.name,
            "path": path,
            "media_type": self.media_type,
            "bytes": self.bytes,
            "sha256": self.sha256,
        }


def _described(path: Path, media_type: str) -> ReleaseFile:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 16):
            digest.update(block)
    return ReleaseFile(path.name, media_type, path.stat().st_size, digest.hexdigest())


def _write_table(table: Table, folder: Path) -> int:
    with (folder / table.path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column.name for column in table.columns])
        if table.write_rows is not None:
            handle.flush()
            with (folder / table.path).open("ab") as binary:
                return table.write_rows(binary)
        count = 0
        for record in table.records().iterator(chunk_size=2000):
            writer.writerow([column.cell(record) for column in table.columns])
            count += 1
        return count


def _write_geojson(folder: Path) -> None:
    with (folder / "enterprises.geojson").open("w", encoding="utf-8") as handle:
        handle.write('{"type":"FeatureCollection","features":[')
        features = geojson_features(Enterprise.objects.published(), site_address_context())
        for position, feature in enumerate(features):
            handle.write(("," if position else "") + feature)
        handle.write("]}")


def _package(*, identifier: str, created: datetime, files: dict[str, ReleaseFile]) -> dict:
    def stats(name):
        described = files[name]
        return {"bytes": described.bytes, "hash": f"sha256:{described.sha256}"}

    with translation.override(settings.LANGUAGE_CODE):
        homepage = settings.SITE_URL + reverse("open-data")
    return {
        "profile": "data-package",
        "name": f"portail-economie-sociale-{identifier}",
        "id": homepage + f"#{identifier}",
        "title": (
            "Portail de l’économie sociale du Québec\u00a0: données ouvertes"
            f" / Québec social economy portal: open data ({identifier})"
        ),
        "description": (
            "Les entreprises collectives publiées, les pôles régionaux, les régions, les"
            " secteurs, les organisations et les événements du portail, tels qu’ils étaient"
            f" le {identifier}. / The portal’s published collective enterprises, regional"
            " poles, regions, sectors, organizations and events as they were on"
            f" {identifier}."
        ),
        "homepage": homepage,
        "created": created.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "licenses": [{"path": settings.DATA_LICENCE_URL, "title": settings.DATA_LICENCE_NAME}],
        "sources": [
            {
                "title": (
                    "Chantier de l’économie sociale et pôles régionaux d’économie sociale"
                    " (portail de l’économie sociale du Québec)"
                ),
                "path": settings.SITE_URL + "/",
            }
        ],
        "resources": [
            *(
                {
                    "name": table.name,
                    "title": table.title,
                    "path": table.path,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": CSV_MEDIA_TYPE,
                    "encoding": "utf-8",
                    **stats(table.path),
                    "schema": table.schema(),
                }
                for table in TABLES
            ),
            {
                "name": "enterprises-geojson",
                "title": "Collective enterprises on a map (RFC 7946) / Entreprises sur une carte",
                "path": "enterprises.geojson",
                "format": "geojson",
                "mediatype": GEOJSON_MEDIA_TYPE,
                **stats("enterprises.geojson"),
            },
        ],
    }


@dataclass
class Built:
    identifier: str
    folder: Path
    files: list[ReleaseFile]
    counts: dict[str, int]


def build_release(*, folder: Path, released_on: date, created: datetime) -> Built:
    """Every file of a release, written into `folder` (nothing stored yet)."""
    identifier = released_on.isoformat()
    counts = {table.name: _write_table(table, folder) for table in TABLES}
    _write_geojson(folder)
    described = {table.path: _described(folder / table.path, CSV_MEDIA_TYPE) for table in TABLES}
    described["enterprises.geojson"] = _described(
        folder / "enterprises.geojson", GEOJSON_MEDIA_TYPE
    )
    package = _package(identifier=identifier, created=created, files=described)
    (folder / PACKAGE_FILE).write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    described[PACKAGE_FILE] = _described(folder / PACKAGE_FILE, "application/json")
    return Built(identifier, folder, list(described.values()), counts)


def storage_path(identifier: str, name: str) -> str:
    return f"{STORAGE_PREFIX}/{identifier}/{name}"


def publish_release(*, released_on: date | None = None, dry_run: bool = False) -> Built:
    """Write the release of `released_on` (today) to the media storage and record it.

    Refused (ReleaseExists) when that day's release exists; a storage that cannot be
    written is a ReleaseError, and nothing is kept of the attempt. With `dry_run`,
    the files are built and described, and nothing is stored or recorded.
    """
    now = timezone.now()
    released_on = released_on or timezone.localdate(now)
    identifier = released_on.isoformat()
    if OpenDataRelease.objects.filter(released_on=released_on).exists():
        raise ReleaseExists(
            f"The release of {identifier} exists already: releases are never rewritten."
        )
    with tempfile.TemporaryDirectory(prefix="open-data-") as folder:
        try:
            built = build_release(folder=Path(folder), released_on=released_on, created=now)
        except OSError as error:
            raise ReleaseError(
                f"The release's files could not be written in a temporary folder: {error}"
            ) from error
        if dry_run:
            return built
        try:
            with transaction.atomic():
                OpenDataRelease.objects.create(
                    identifier=identifier,
                    released_on=released_on,
                    files=[
                        described.as_dict(path=storage_path(identifier, described.name))
                        for described in built.files
                    ],
                    counts=built.counts,
                )
                _store(built)
        except IntegrityError:
            raise ReleaseExists(
                f"The release of {identifier} exists already: releases are never rewritten."
            ) from None
    return built


def _store(built: Built) -> None:
    """Each file to the media storage, under its final name; any failure removes them all."""
    stored = []
    try:
        for described in built.files:
            name = storage_path(built.identifier, described.name)
            if default_storage.exists(name):
                raise ReleaseExists(
                    f"{name} exists already in the media storage: releases are never rewritten."
                )
            with (built.folder / described.name).open("rb") as handle:
                saved = default_storage.save(name, File(handle, name=described.name))
            stored.append(saved)
            if saved != name:
                raise ReleaseError(f"The media storage renamed {name} to {saved}.")
    except ReleaseError:
        _remove(stored)
        raise
    except Exception as error:
        _remove(stored)
        raise ReleaseError(
            f"The media storage ({settings.MEDIA_STORAGE_BACKEND}) could not be written: {error}"
        ) from error


def _remove(names: list[str]) -> None:
    for name in names:
        # The first error is the one to report.
        with contextlib.suppress(Exception):
            default_storage.delete(name)


def published_releases() -> list[OpenDataRelease]:
    """Every release, newest first, each file with its `url` in the media storage."""
    return with_file_urls(OpenDataRelease.objects.order_by("-released_on"))


def with_file_urls(releases) -> list[OpenDataRelease]:
    releases = list(releases)
    for release in releases:
        for described in release.files:
            described["url"] = default_storage.url(described["path"])
    return releases
