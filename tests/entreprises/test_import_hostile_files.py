"""Hostile spreadsheets, made by hand: each is refused with a clear message, quickly and in
little memory, before anything is written."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from entreprises.models import Enterprise
from tests.entreprises.test_admin_import import IMPORT

SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def workbook_with(members: dict[str, bytes]) -> bytes:
    """A real workbook written by openpyxl, with some of its parts replaced."""
    workbook = Workbook()
    workbook.active.append(["name_fr", "legal_form"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    original = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in original.namelist():
            archive.writestr(name, members.get(name, original.read(name)))
    return out.getvalue()


def cell(column: str, line: int, text: str) -> str:
    return f'<c r="{column}{line}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows: list[str], tail: str = "</sheetData></worksheet>") -> bytes:
    return (SHEET_START + "<sheetData>" + "".join(rows) + tail).encode()


HEADER_ROW = '<row r="1">' + cell("A", 1, "name_fr") + cell("B", 1, "legal_form") + "</row>"


def data_row(line: int, name: str = "Coop") -> str:
    return f'<row r="{line}">' + cell("A", line, name) + cell("B", line, "cooperative") + "</row>"


def file_errors(client, content: bytes, name: str = "a.xlsx", language: str = "en"):
    response = client.post(
        IMPORT, {"file": SimpleUploadedFile(name, content)}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.context["form"].errors["file"]


def test_upload_over_the_size_limit_is_refused_before_reading(personas, world, settings):
    settings.ENTERPRISE_IMPORT_MAX_BYTES = 1000
    client = personas.client_for(personas.staff_a)
    content = b"name_fr,legal_form\n" + b"Coop,cooperative\n" * 100
    assert file_errors(client, content, name="a.csv") == [
        "The file weighs 1.7\xa0KB; at most 1000\xa0bytes can be imported at once. "
        "Split it into several files."
    ]
    assert file_errors(client, content, name="a.csv", language="fr") == [
        "Le fichier pèse 1,7\xa0Kio\u202f; on peut en importer au plus 1000\xa0octets à la fois. "
        "Découpez-le en plusieurs fichiers."
    ]


def test_reading_stops_at_the_first_row_past_the_limit(personas, world, settings):
    settings.ENTERPRISE_IMPORT_MAX_ROWS = 5
    client = personas.client_for(personas.staff_a)
    # Row 7 is one past the limit; a megabyte further on, the file is not even XML: the
    # reader never gets there.
    rows = [HEADER_ROW, *(data_row(line, f"Coop {line}") for line in range(2, 20_000))]
    content = workbook_with({SHEET: sheet(rows, tail='<row r="20000"><c r="A8"')})
    assert file_errors(client, content) == [
        "The file has more than 5 rows; at most 5 can be imported at once."
    ]
    # Two million rows announced by a single far one: refused without filling the gap.
    far = workbook_with({SHEET: sheet([HEADER_ROW, data_row(2), data_row(2_000_000)])})
    assert file_errors(client, far) == [
        "The file has more than 5 rows; at most 5 can be imported at once."
    ]


def test_a_huge_cell_is_refused(personas, world):
    client = personas.client_for(personas.staff_a)
    long_name = "a" * 10_001
    xlsx = workbook_with({SHEET: sheet([HEADER_ROW, data_row(2, long_name)])})
    message = "Line 2: a cell holds 10001 characters; at most 10000 are allowed."
    assert file_errors(client, xlsx) == [message]
    csv_content = f"name_fr,legal_form\n{long_name},cooperative\n".encode()
    assert file_errors(client, csv_content, name="a.csv") == [message]
    assert file_errors(client, csv_content, name="a.csv", language="fr") == [
        "Ligne 2\u00a0: une cellule compte 10001 caractères\u202f; au plus 10000 sont permis."
    ]


def test_a_workbook_that_unpacks_to_much_more_than_its_size_is_refused(personas, world, settings):
    settings.ENTERPRISE_IMPORT_MAX_BYTES = 100_000
    client = personas.client_for(personas.staff_a)
    bomb = workbook_with({SHEET: sheet([HEADER_ROW, data_row(2, "a" * 5_000_000)])})
    assert len(bomb) < 100_000
    assert file_errors(client, bomb) == [
        "The workbook unpacks to more than 976.6\xa0KB: it cannot be imported."
    ]


@pytest.mark.parametrize(
    "content",
    [
        # A document type declaration (entities) in the sheet.
        workbook_with(
            {
                SHEET: b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;">]>' + sheet([HEADER_ROW, data_row(2, "&b;")])
            }
        ),
        # Sheet XML cut in the middle.
        workbook_with({SHEET: sheet([HEADER_ROW, data_row(2)], tail="<row")}),
        # A workbook cut in the middle.
        workbook_with({})[:1500],
        # A zip that holds no workbook.
        b"PK\x05\x06" + b"\x00" * 18,
        # A sheet in UTF-16, which would hide a declaration from a byte search.
        workbook_with({SHEET: sheet([HEADER_ROW]).decode().encode("utf-16")}),
        # Not a zip at all.
        b"name_fr,legal_form\nCoop,cooperative\n",
    ],
    ids=["dtd", "bad-xml", "truncated", "empty-zip", "utf-16", "csv-named-xlsx"],
)
def test_unreadable_workbooks_get_one_clear_message(personas, world, content):
    client = personas.client_for(personas.staff_a)
    assert file_errors(client, content) == ["The file is not a readable XLSX workbook."]
    assert file_errors(client, content, language="fr") == [
        "Le fichier n’est pas un classeur XLSX lisible."
    ]
    assert Enterprise.objects.count() == 2


def test_command_refuses_a_file_over_the_size_limit(personas, world, settings, tmp_path):
    settings.ENTERPRISE_IMPORT_MAX_BYTES = 10
    path = tmp_path / "big.csv"
    path.write_bytes(b"name_fr,legal_form\nCoop,cooperative\n")
    with pytest.raises(CommandError) as refused:
        call_command("import_enterprises", path, user=personas.staff_a.username)
    assert str(refused.value) == (
        "The file weighs 36\xa0bytes; at most 10\xa0bytes can be imported at once. "
        "Split it into several files."
    )
