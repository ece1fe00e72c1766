"""Enterprises as spreadsheet rows: the columns of the import template and of the export,
and reading or writing them as CSV or XLSX. No rule about enterprises lives here."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from zipfile import BadZipFile

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from entreprises.models import Enterprise, EnterpriseSector

# The columns of the template, of every export and of every import, in this order.
COLUMNS = [
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
]
REQUIRED_COLUMNS = ["name_fr", "legal_form"]
# Several sector slugs in one cell.
SECTOR_SEPARATOR = ";"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(Exception):
    """The file cannot be read as a table of enterprises; the message says why."""


def read_rows(*, name: str, content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the data rows (as text) of a CSV or XLSX file."""
    if name.lower().endswith(".xlsx"):
        table = _read_xlsx(content)
    elif name.lower().endswith(".csv"):
        table = _read_csv(content)
    else:
        raise SpreadsheetError(_("Send a .csv or .xlsx file."))
    rows = iter(table)
    header = [cell.strip().lower() for cell in next(rows, [])]
    if not any(header):
        raise SpreadsheetError(_("The file is empty: its first line must name the columns."))
    unknown = [column for column in header if column and column not in COLUMNS]
    if unknown:
        raise SpreadsheetError(
            _("Unknown columns: %(columns)s. The template lists the columns to use.")
            % {"columns": ", ".join(unknown)}
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise SpreadsheetError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    data = []
    for cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        data.append(
            {
                column: (cells[i].strip() if i < len(cells) else "")
                for i, column in enumerate(header)
            }
        )
    return header, data


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(_("The CSV file is not in UTF-8: save it as “CSV UTF-8”.")) from None
    if "\x00" in text:
        raise SpreadsheetError(_("The CSV file contains a NUL character."))
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to French write semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file is malformed: %(error)s") % {"error": error}
        ) from None


def _read_xlsx(content: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\x00", "")


def enterprise_rows(enterprises: QuerySet[Enterprise]) -> Iterator[list[str]]:
    """Each enterprise as the cells of COLUMNS, read in chunks (constant memory)."""
    links = EnterpriseSector.objects.select_related("sector").order_by(
        "-is_primary", "sector__slug"
    )
    enterprises = enterprises.select_related("pole", "region").prefetch_related(
        Prefetch("sector_links", queryset=links)
    )
    for enterprise in enterprises.iterator(chunk_size=2000):
        sector_links = list(enterprise.sector_links.all())
        values = {
            "pole": enterprise.pole.slug if enterprise.pole else "",
            "region": enterprise.region.code if enterprise.region else "",
            "primary_sector": next((k.sector.slug for k in sector_links if k.is_primary), ""),
            "other_sectors": SECTOR_SEPARATOR.join(
                link.sector.slug for link in sector_links if not link.is_primary
            ),
        }
        yield [
            _text(values[column] if column in values else getattr(enterprise, column))
            for column in COLUMNS
        ]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def write_csv(rows: Iterable[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(_safe(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(rows: Iterable[list[str]], *, help_rows: Iterable[list[str]] = ()) -> bytes:
    """The enterprises on a first sheet; `help_rows`, when given, on a second one."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("enterprises")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(_safe(row))
    help_rows = list(help_rows)
    if help_rows:
        help_sheet = workbook.create_sheet("help")
        for row in help_rows:
            help_sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe(row: list[str]) -> list[str]:
    # A cell starting with = + - @ would run as a formula in a spreadsheet program.
    return ["'" + cell if cell[:1] in ("=", "+", "@") else cell for cell in row]
