"""The enterprise's public columns, declared once.

Each column says its name (the header in every file), how PostgreSQL reads it (for the
files PostgreSQL writes: the API's CSV and GeoJSON), how Python reads it (for the admin's
spreadsheets), its language when it is one translation of a text, and whether it is text.
Every file derives its columns from a named selection of this declaration.

Text cells are neutralised against formula injection in every CSV and XLSX we write: one
starting with = + - @, a tab or a carriage return gets a leading apostrophe (OWASP's
advice), so that a spreadsheet program shows it rather than running it; one starting with
an apostrophe gets another, so that it reads back as written. Numbers and dates
are never touched: a longitude in Québec is negative.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from common.api.languages import LANGUAGE_CODES
from entreprises import opening_hours, social_links

# The texts an enterprise has in each language (name_fr, name_en...), registered for
# translation from here (entreprises/translation.py).
TRANSLATED = (
    "name",
    "description",
    "mission",
    "products_services",
    "opening_hours_note",
    "image_alt",
)
# Several sector slugs in one cell of the admin's spreadsheets, and in the API's CSV; and
# several customers.
SECTOR_SEPARATOR = ";"
CUSTOMER_SEPARATOR = ";"
API_JOINER = " | "
# ISO 8601 in UTC with microseconds, as Python's isoformat() writes it.
_TIMESTAMP_SQL = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""


@dataclass(frozen=True)
class Column:
    name: str
    # PostgreSQL's reading, from the aliases e (enterprise), p (pole), r (region), s (its
    # sectors) and the address templates {api_prefix}... ; empty: f"e.{name}".
    sql: str = ""
    # Python's reading of a model instance (sectors prefetched); None: the attribute `name`.
    read: Callable | None = None
    text: bool = True
    language: str | None = None

    @property
    def sql_value(self) -> str:
        return self.sql or f"e.{self.name}"

    def value(self, enterprise) -> str:
        """The cell's text for the admin's spreadsheets."""
        value = self.read(enterprise) if self.read else getattr(enterprise, self.name)
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return str(value)


def _translations(field: str) -> list[Column]:
    return [Column(f"{field}_{code}", language=code) for code in LANGUAGE_CODES]


def _sector_links(enterprise) -> list:
    """Primary first (the queryset of enterprise_rows orders them)."""
    return list(enterprise.sector_links.all())


COLUMNS = {
    column.name: column
    for column in [
        Column("id", text=False),
        Column("slug"),
        *(column for field in TRANSLATED for column in _translations(field)),
        Column("legal_form"),
        Column("cooperative_type"),
        Column("neq"),
        Column("status"),
        Column("pole", sql="p.slug", read=lambda e: e.pole.slug if e.pole else ""),
        Column("region", sql="r.code", read=lambda e: e.region.code if e.region else ""),
        Column(
            "primary_sector",
            sql="s.primary_sector",
            read=lambda e: next((k.sector.slug for k in _sector_links(e) if k.is_primary), ""),
        ),
        Column(
            "other_sectors",
            read=lambda e: SECTOR_SEPARATOR.join(
                k.sector.slug for k in _sector_links(e) if not k.is_primary
            ),
        ),
        Column("sectors", sql="s.slugs"),
        *(
            Column(f"sectors_{code}", sql=f"s.names_{code}", language=code)
            for code in LANGUAGE_CODES
        ),
        Column("street_address"),
        Column("city"),
        Column("postal_code"),
        Column("latitude", text=False),
        Column("longitude", text=False),
        Column("phone"),
        Column("email"),
        Column("website"),
        Column("founded_year", text=False),
        Column("employees", text=False),
        *(Column(name) for name in social_links.FIELDS),
        Column(
            "opening_hours",
            sql=opening_hours.as_text_sql("e.opening_hours"),
            read=lambda e: opening_hours.as_text(e.opening_hours),
        ),
        Column(
            "sells_to",
            sql=f"array_to_string(e.sells_to, '{CUSTOMER_SEPARATOR}')",
            read=lambda e: CUSTOMER_SEPARATOR.join(e.sells_to or []),
        ),
        Column("step_free_access"),
        Column("image_url", sql="{media_prefix} || nullif(e.image_large, '')"),
        Column("image_small_url", sql="{media_prefix} || nullif(e.image_small, '')"),
        Column("created_at", sql=_TIMESTAMP_SQL.format("e.created_at"), text=False),
        Column("updated_at", sql=_TIMESTAMP_SQL.format("e.updated_at"), text=False),
        Column("url", sql="{api_prefix} || e.slug || {api_suffix}"),
        Column("web_url", sql="{web_prefix} || e.slug || {web_suffix}"),
    ]
}

# The partner API's CSV: every public fact, both languages side by side.
API_CSV = [
    "id",
    "slug",
    *(f"{field}_{code}" for field in TRANSLATED for code in LANGUAGE_CODES),
    "legal_form",
    "cooperative_type",
    "neq",
    "primary_sector",
    "sectors",
    *(f"sectors_{code}" for code in LANGUAGE_CODES),
    "pole",
    "region",
    "street_address",
    "city",
    "postal_code",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "founded_year",
    "employees",
    *social_links.FIELDS,
    "opening_hours",
    "sells_to",
    "step_free_access",
    "image_url",
    "image_small_url",
    "status",
    "created_at",
    "updated_at",
    "url",
    "web_url",
]
# The API's GeoJSON properties (its writer gives `name` and `sectors` as JSON: a name per
# language or in one, a list of slugs).
GEOJSON_PROPERTIES = [
    "slug",
    "name",
    "legal_form",
    "cooperative_type",
    "sectors",
    "pole",
    "region",
    "street_address",
    "city",
    "postal_code",
    "website",
    "opening_hours",
    "sells_to",
    "step_free_access",
    "image_url",
    "status",
    "updated_at",
    "url",
    "web_url",
]
# The admin's export and import template: what staff can read back in, with the slugs
# that name a pole, a region and sectors; no id, dates or addresses of the API.
SPREADSHEET = [
    "slug",
    "name_fr",
    "name_en",
    "legal_form",
    "cooperative_type",
    "neq",
    "status",
    "pole",
    "region",
    "primary_sector",
    "other_sectors",
    "street_address",
    "city",
    "postal_code",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "founded_year",
    "employees",
    "description_fr",
    "description_en",
    "mission_fr",
    "mission_en",
    *social_links.FIELDS,
    "opening_hours",
    "opening_hours_note_fr",
    "opening_hours_note_en",
    "products_services_fr",
    "products_services_en",
    "sells_to",
    "step_free_access",
    "image_alt_fr",
    "image_alt_en",
]

# --- Formula injection: one rule, written for Python and for PostgreSQL ---------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A text already starting with the apostrophe gets one more, so that reading it back
# (restored) gives it as it was.
_NEUTRALISED_STARTS = (*FORMULA_STARTS, "'")


def neutralised(text: str) -> str:
    """A text cell as a spreadsheet program will show it rather than run it."""
    return "'" + text if text.startswith(_NEUTRALISED_STARTS) else text


def restored(text: str) -> str:
    """A cell read back from a file we wrote: without the apostrophe neutralised() added
    (a spreadsheet program drops it too when it reads a typed one)."""
    if text.startswith("'") and text[1:].startswith(_NEUTRALISED_STARTS):
        return text[1:]
    return text


def neutralised_sql(expression: str) -> str:
    """The same rule as a PostgreSQL expression (NULL stays NULL)."""
    # "-" last, so that the bracket holds it as itself; the tab and CR as the characters.
    pattern = "^([" + "".join(c for c in _NEUTRALISED_STARTS if c != "-") + "-])"
    literal = connection.ops.compose_sql("%s", [pattern])
    return f"regexp_replace({expression}, {literal}, '''\\1')"


def select_list(names: list[str], *, neutralise: bool) -> str:
    """The columns `names` as a PostgreSQL select list, text neutralised when asked."""
    expressions = []
    for name in names:
        column = COLUMNS[name]
        value = column.sql_value
        expressions.append(neutralised_sql(value) if neutralise and column.text else value)
    return ",\n  ".join(expressions)
