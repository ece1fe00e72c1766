"""Enterprises as spreadsheet rows (the SPREADSHEET columns of entreprises/columns.py),
read from or written to CSV and XLSX within limits a hostile file cannot exceed. No rule
about enterprises lives here."""

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from django.db.models import Prefetch, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from entreprises.columns import COLUMNS, SPREADSHEET, neutralised, restored
from entreprises.models import Enterprise, EnterpriseSector

REQUIRED_COLUMNS = ["name_fr", "legal_form"]
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Limits that keep a hostile file from holding a worker: cells past this column and
# characters past this length are never needed by an enterprise.
MAX_COLUMNS = 100
MAX_CELL_CHARS = 10_000
# An XLSX is a zip of XML parts; what openpyxl will parse is bounded by their unpacked size.
_XML_PARTS = (".xml", ".rels", ".vml")
_READ_BLOCK = 1024 * 1024


class SpreadsheetError(Exception):
    """The file cannot be read as a table of enterprises; the message says why."""


def read_rows(
    *, name: str, content: bytes, max_rows: int, max_unpacked_bytes: int
) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the data rows (as text) of a CSV or XLSX file.

    Reading stops at the first row past `max_rows` (the file is then refused), so a file of
    millions of rows costs no more than one of `max_rows`.
    """
    if name.lower().endswith(".xlsx"):
        table = _read_xlsx(content, max_rows=max_rows, max_unpacked_bytes=max_unpacked_bytes)
    elif name.lower().endswith(".csv"):
        table = _read_csv(content)
    else:
        raise SpreadsheetError(_("Send a .csv or .xlsx file."))
    try:
        return _table_rows(table, max_rows=max_rows)
    finally:
        table.close()  # the workbook's file, even when a row was refused


def _table_rows(table: Iterator[list[str]], *, max_rows: int):
    rows = enumerate(table, start=1)
    header = [cell.strip().lower() for cell in next(rows, (1, []))[1]]
    if not any(header):
        raise SpreadsheetError(_("The file is empty: its first line must name the columns."))
    unknown = [column for column in header if column and column not in SPREADSHEET]
    if unknown:
        raise SpreadsheetError(
            _("Unknown columns: %(columns)s. The template lists the columns to use.")
            % {"columns": ", ".join(unknown)}
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise SpreadsheetError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    data = []
    for line, cells in rows:
        if line > max_rows + 1:
            raise _too_many_rows(max_rows)
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells[:MAX_COLUMNS]
        longest = max(len(cell) for cell in cells)
        if longest > MAX_CELL_CHARS:
            raise SpreadsheetError(
                _("Line %(line)s: a cell holds %(length)s characters; at most %(max)s are allowed.")
                % {"line": line, "length": longest, "max": MAX_CELL_CHARS}
            )
        data.append(
            {
                column: (restored(cells[i].strip()) if i < len(cells) else "")
                for i, column in enumerate(header)
            }
        )
    return header, data


def _read_csv(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(_("The CSV file is not in UTF-8: save it as “CSV UTF-8”.")) from None
    if "\x00" in text:
        raise SpreadsheetError(_("The CSV file contains a NUL character."))
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to French write semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise SpreadsheetError(
            _("The CSV file is malformed near line %(line)s.") % {"line": reader.line_num}
        ) from None


# What openpyxl and the XML parser raise on a damaged workbook: none of them is our bug.
_UNREADABLE = (
    InvalidFileException,
    BadZipFile,
    zlib.error,
    ParseError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ValueError,
    OSError,
    EOFError,
)


def _read_xlsx(content: bytes, *, max_rows: int, max_unpacked_bytes: int) -> Iterator[list[str]]:
    unreadable = SpreadsheetError(_("The file is not a readable XLSX workbook."))
    try:
        _check_archive(content, max_rows=max_rows, max_unpacked_bytes=max_unpacked_bytes)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except _UNREADABLE:
        raise unreadable from None
    try:
        sheet = workbook.worksheets[0]
        # One row past the limit is read, to know the file is over it; no further.
        for row in sheet.iter_rows(values_only=True, max_row=max_rows + 2, max_col=MAX_COLUMNS):
            yield [_cell_text(value) for value in row]
    except _UNREADABLE:
        raise unreadable from None
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


def _check_archive(content: bytes, *, max_rows: int, max_unpacked_bytes: int) -> None:
    """Refuse, before openpyxl parses anything, a workbook that unpacks to too much (a few
    kilobytes can hold gigabytes of one repeated letter), whose XML declares a document
    type (entities that expand; Excel writes none), or whose sheets hold more rows than
    the limit (openpyxl would read every row of a sheet that does not state its size).
    Raises SpreadsheetError, or one of _UNREADABLE."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = archive.infolist()
        if sum(part.file_size for part in parts) > max_unpacked_bytes:
            raise SpreadsheetError(
                _("The workbook unpacks to more than %(max)s: it cannot be imported.")
                % {"max": filesizeformat(max_unpacked_bytes)}
            )
        for part in parts:
            xml = part.filename.lower().endswith(_XML_PARTS)
            if xml and _xml_rows(archive, part) > max_rows + 1:
                raise _too_many_rows(max_rows)


_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")


def _xml_rows(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """How many row elements this XML part holds, read as bytes; ValueError on a document
    type declaration or an encoding other than UTF-8 (which would hide one)."""
    rows, tail = 0, b""
    with archive.open(part) as stream:  # checks the declared size and the CRC as it reads
        while block := stream.read(_READ_BLOCK):
            if not tail and (block.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in block[:4]):
                raise ValueError("XML part not in UTF-8")
            window = tail + block
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise ValueError("XML part with a document type declaration")
            # A tag cut between two blocks is counted once, in the window where it ends.
            rows += sum(1 for m in _ROW_TAG.finditer(window) if m.end() > len(tail))
            tail = block[-16:]
    return rows


def _too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        ngettext(
            "The file has more than %(max)s row; at most %(max)s can be imported at once.",
            "The file has more than %(max)s rows; at most %(max)s can be imported at once.",
            max_rows,
        )
        % {"max": max_rows}
    )


def enterprise_rows(enterprises: QuerySet[Enterprise]) -> Iterator[list[str]]:
    """Each enterprise as the cells of SPREADSHEET, read in chunks (constant memory)."""
    links = EnterpriseSector.objects.select_related("sector").order_by(
        "-is_primary", "sector__slug"
    )
    enterprises = enterprises.select_related("pole", "region").prefetch_related(
        Prefetch("sector_links", queryset=links)
    )
    columns = [COLUMNS[name] for name in SPREADSHEET]
    for enterprise in enterprises.iterator(chunk_size=2000):
        yield [column.value(enterprise) for column in columns]


# French Excel reads semicolons; commas are offered for the other programs.
CSV_DELIMITERS = {"csv": ";", "csv-comma": ","}


def write_csv(rows: Iterable[list[str]], *, delimiter: str = ";") -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(SPREADSHEET)
    writer.writerows(_safe(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(rows: Iterable[list[str]]) -> bytes:
    """The enterprises on one sheet, written as they are read (constant memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("enterprises")
    sheet.append(SPREADSHEET)
    for row in rows:
        sheet.append(_safe(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Rows of the template in which a drop-down list applies.
TEMPLATE_ROWS = 1000


def write_xlsx_template(
    *, example: list[str], lists: dict[str, list[str]], help_rows: list[list[str]]
) -> bytes:
    """The import's template: the header, one example row, a drop-down list on each column
    of `lists` (its values on a hidden sheet, since Excel caps a list typed in the rule at
    255 characters), and the help on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "enterprises"
    sheet.append(SPREADSHEET)
    sheet.append(_safe(example))
    sheet.freeze_panes = "A2"
    values = workbook.create_sheet("lists")
    values.sheet_state = "hidden"
    for number, (column, choices) in enumerate(lists.items(), start=1):
        letter = get_column_letter(number)
        values.cell(row=1, column=number, value=column)
        for row, choice in enumerate(choices, start=2):
            values.cell(row=row, column=number, value=neutralised(choice))
        target = get_column_letter(SPREADSHEET.index(column) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"lists!${letter}$2:${letter}${len(choices) + 1}",
            allow_blank=True,
            showErrorMessage=False,  # a value typed otherwise is read by the import
        )
        validation.add(f"{target}2:{target}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)
    help_sheet = workbook.create_sheet("help")
    for row in help_rows:
        help_sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_TEXT = [COLUMNS[name].text for name in SPREADSHEET]


def _safe(row: list[str]) -> list[str]:
    """Text cells neutralised against formulas; numbers (a negative longitude) as they are."""
    return [neutralised(cell) if text else cell for cell, text in zip(row, _TEXT, strict=True)]
