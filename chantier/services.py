"""Loading the reference data (regions, poles, sectors, organizations, events,
key figures) from the TOML files of `chantier/reference/`.

Loading is idempotent and never clobbers the admin: a record that is missing is
created, an empty field is filled, and a field someone has since corrected in the
admin is kept (and counted as such) unless `overwrite` is asked for.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from chantier.apikeys import new_key
from chantier.models import ApiKey, KeyFigure
from entreprises.models import Enterprise, Sector
from entreprises.services import one_search_refresh, refresh_search_vectors, set_sectors
from evenements.models import Event, Organization
from poles.models import Pole, Region

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
# An event's organizations in events.toml, by key, and the relation each fills.
RELATED_ORGANIZATIONS = {
    "organizers": "organizers",
    "partners": "partners",
    "attended_by": "participating_organizations",
}

CREATED = "created"
FILLED = "filled"
OVERWRITTEN = "overwritten"
KEPT = "kept"
UNCHANGED = "unchanged"


class ReferenceDataError(Exception):
    """A reference file is malformed or a record in it does not validate."""


@dataclass
class LoadReport:
    outcomes: dict[str, Counter] = field(default_factory=dict)

    def add(self, label: str, outcome: str) -> None:
        self.outcomes.setdefault(label, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c[CREATED] or c[FILLED] or c[OVERWRITTEN] for c in self.outcomes.values())


def load_reference(
    *, directory: Path = REFERENCE_DIR, overwrite: bool = False, dry_run: bool = False
) -> LoadReport:
    loader = _Loader(directory=directory, overwrite=overwrite)
    with transaction.atomic():
        with one_search_refresh():
            loader.load_all()
        if dry_run:
            transaction.set_rollback(True)
    return loader.report


class _Loader:
    def __init__(self, *, directory: Path, overwrite: bool):
        self.directory = directory
        self.overwrite = overwrite
        self.report = LoadReport()
        self.sources = self._read("sources.toml")

    def load_all(self) -> None:
        self.load_regions()
        self.load_poles()
        self.load_sectors()
        self.load_synonyms()
        self.load_organizations()
        self.load_enterprises()
        self.load_events()
        self.load_key_figures()

    # -- one method per file -------------------------------------------------

    def load_regions(self) -> None:
        for row in self._rows("regions.toml", "region"):
            self._upsert(Region, "regions.toml", {"code": row["code"]}, self._texts(row, "name"))

    def load_poles(self) -> None:
        for row in self._rows("poles.toml", "pole"):
            values = {
                **self._texts(row, "name", "territory", "description"),
                **self._source_texts(row, "poles.toml"),
                "mrcs": row.get("mrcs", []),
                "city": row.get("city", ""),
                "founded_year": row.get("founded_year"),
            }
            relations = {"regions": self._regions(row["regions"], "poles.toml", row["slug"])}
            self._upsert(Pole, "poles.toml", {"slug": row["slug"]}, values, relations)

    def load_sectors(self) -> None:
        for position, row in enumerate(self._rows("sectors.toml", "sector"), start=1):
            values = {**self._texts(row, "name", "description"), "position": position}
            self._upsert(Sector, "sectors.toml", {"slug": row["slug"]}, values)

    def load_synonyms(self) -> None:
        for row in self._rows("synonyms.toml", "sector"):
            where = f"synonyms.toml, {row['slug']}"
            self._get(Sector, where, slug=row["slug"])
            values = {
                f"synonyms_{language}": ", ".join(
                    _synonym_list(row.get(f"synonyms_{language}", []), where)
                )
                for language in ("fr", "en")
            }
            self._upsert(Sector, "synonyms.toml", {"slug": row["slug"]}, values)

    def load_organizations(self) -> None:
        for row in self._rows("organizations.toml", "organization"):
            values = {
                **self._texts(row, "name", "acronym", "description"),
                **self._source_texts(row, "organizations.toml"),
                "kind": row["kind"],
                "country": row.get("country", ""),
                "website": row.get("website", ""),
                "founded_year": row.get("founded_year"),
            }
            self._upsert(Organization, "organizations.toml", {"slug": row["slug"]}, values)

    def load_enterprises(self) -> None:
        changed = []
        for row in self._rows("enterprises.toml", "enterprise"):
            values = {
                **self._texts(row, "name", "description", "mission"),
                "legal_form": row["legal_form"],
                "cooperative_type": row.get("cooperative_type", ""),
                "founded_year": row.get("founded_year"),
                "status": row["status"],
            }
            enterprise, outcome = self._upsert(
                Enterprise, "enterprises.toml", {"slug": row["slug"]}, values
            )
            if not enterprise.sector_links.exists():
                sectors = [self._get(Sector, "enterprises.toml", slug=s) for s in row["sectors"]]
                set_sectors(enterprise=enterprise, primary=sectors[0], secondary=sectors[1:])
            if outcome != UNCHANGED:
                changed.append(enterprise.pk)
        refresh_search_vectors(ids=changed)

    def load_events(self) -> None:
        for row in self._rows("events.toml", "event"):
            where = f"events.toml, {row['slug']}"
            values = {
                **self._texts(row, "name", "venue", "city", "description"),
                **self._source_texts(row, "events.toml"),
                "kind": row["kind"],
                "year": row.get("year"),
                "start_date": row.get("start_date"),
                "end_date": row.get("end_date"),
                "country": row.get("country", ""),
                "participants": row.get("participants"),
                "countries_count": row.get("countries_count"),
                "countries_approximate": row.get("countries_approximate", False),
            }
            relations = {
                field: [self._get(Organization, where, slug=s) for s in row.get(key, [])]
                for key, field in RELATED_ORGANIZATIONS.items()
            }
            self._upsert(Event, "events.toml", {"slug": row["slug"]}, values, relations)

    def load_key_figures(self) -> None:
        for row in self._rows("key_figures.toml", "figure"):
            region = row.get("region")
            values = {
                **self._texts(row, "label", "note"),
                **self._source_texts(row, "key_figures.toml"),
                "value": Decimal(row["value"]),
                "unit": row["unit"],
                "qualifier": row.get("qualifier", "exact"),
                "year": row.get("year"),
                "region": self._get(Region, "key_figures.toml", code=region) if region else None,
                "featured": row.get("featured", False),
                "position": row.get("position", 0),
            }
            self._upsert(KeyFigure, "key_figures.toml", {"key": row["key"]}, values)

    # -- the idempotent write ------------------------------------------------

    def _upsert(self, model, filename, lookup, values, relations=None):
        relations = relations or {}
        where = f"{filename}, {next(iter(lookup.values()))}"
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            self._save(obj, where)
            for name, targets in relations.items():
                getattr(obj, name).set(targets)
            self.report.add(model._meta.verbose_name_plural, CREATED)
            return obj, CREATED

        changed, kept = False, False
        for name, value in values.items():
            current = getattr(obj, name)
            if _same(current, value):
                continue
            if self.overwrite or _is_empty(current):
                setattr(obj, name, value)
                changed = True
            else:
                kept = True
        if changed:
            self._save(obj, where)
        for name, targets in relations.items():
            manager = getattr(obj, name)
            current_ids = set(manager.values_list("pk", flat=True))
            if current_ids == {t.pk for t in targets}:
                continue
            if self.overwrite or not current_ids:
                manager.set(targets)
                changed = True
            else:
                kept = True

        outcome = (
            (OVERWRITTEN if self.overwrite else FILLED) if changed else KEPT if kept else UNCHANGED
        )
        self.report.add(model._meta.verbose_name_plural, outcome)
        return obj, outcome

    def _save(self, obj, where):
        try:
            obj.full_clean()
        except ValidationError as error:
            raise ReferenceDataError(f"{where}: {_describe(error)}") from error
        obj.save()

    # -- reading the files ---------------------------------------------------

    def _read(self, filename: str) -> dict:
        try:
            with (self.directory / filename).open("rb") as file:
                return tomllib.load(file)
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ReferenceDataError(f"{filename}: {error}") from error

    def _rows(self, filename: str, table: str) -> list[dict]:
        rows = self._read(filename).get(table, [])
        for number, row in enumerate(rows, start=1):
            key = row.get("slug") or row.get("code") or row.get("key")
            if not key:
                raise ReferenceDataError(f"{filename}: [[{table}]] number {number} has no key.")
        return rows

    @staticmethod
    def _texts(row: dict, *names: str) -> dict:
        """French and English columns of translated fields; empty English falls back."""
        return {
            f"{name}_{language}": row.get(f"{name}_{language}", "")
            for name in names
            for language in ("fr", "en")
        }

    def _source_texts(self, row: dict, filename: str) -> dict:
        texts = {"source_fr": [], "source_en": []}
        for key in row.get("sources", []):
            if key not in self.sources:
                raise ReferenceDataError(
                    f"{filename}, {row.get('slug') or row.get('key')}: unknown source {key!r}."
                )
            texts["source_fr"].append(self.sources[key]["fr"])
            texts["source_en"].append(self.sources[key]["en"])
        return {name: "; ".join(parts) for name, parts in texts.items()}

    def _regions(self, codes, filename, key):
        return [self._get(Region, f"{filename}, {key}", code=code) for code in codes]

    @staticmethod
    def _get(model, where, **lookup):
        try:
            return model.objects.get(**lookup)
        except model.DoesNotExist:
            raise ReferenceDataError(f"{where}: no {model.__name__} with {lookup}.") from None


def _synonym_list(synonyms, where: str) -> list[str]:
    """A list of words or phrases; a comma would split one in two in Sector.synonyms."""
    if not isinstance(synonyms, list):
        raise ReferenceDataError(f"{where}: synonyms must be a list of words or phrases.")
    for synonym in synonyms:
        if not isinstance(synonym, str) or not synonym.strip() or "," in synonym:
            raise ReferenceDataError(
                f"{where}: {synonym!r} is not a word or phrase (text without commas)."
            )
    return [synonym.strip() for synonym in synonyms]


def _is_empty(value) -> bool:
    return (
        value is None or value == "" or value == [] or (hasattr(value, "code") and not value.code)
    )


def _same(current, wanted) -> bool:
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        return getattr(current, "pk", None) == getattr(wanted, "pk", None)
    if hasattr(current, "code"):  # a django-countries Country
        current = current.code
    if current is None and wanted == "":
        return True  # modeltranslation stores a missing translation as NULL
    if isinstance(wanted, Decimal | int) and isinstance(current, Decimal | int):
        return Decimal(current) == Decimal(wanted)
    return current == wanted


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            " ".join(messages) if name == "__all__" else f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def create_api_key(*, name: str, note: str = "") -> tuple[ApiKey, str]:
    """A new partner key. The key itself is returned once and never stored."""
    key, prefix, digest = new_key()
    api_key = ApiKey.objects.create(name=name, note=note, prefix=prefix, hashed_key=digest)
    return api_key, key


def revoke_api_keys(*, keys) -> int:
    """Revoke keys (a queryset); a revoked key is refused from then on."""
    return keys.filter(revoked_at=None).update(revoked_at=timezone.now())
