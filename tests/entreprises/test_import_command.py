"""`manage.py import_enterprises`: the admin's import from the command line."""

import csv

import pytest
from django.core.management import CommandError, call_command

from entreprises.models import Enterprise

HEADER = ["name_fr", "legal_form", "pole", "region", "primary_sector", "neq", "city"]


def write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_command_imports_as_pole_staff(personas, world, tmp_path, capsys):
    path = write(
        tmp_path / "new.csv",
        [["Friperie", "nonprofit", "pole-montreal", "06", "alimentation", "", "Montréal"]],
    )
    call_command("import_enterprises", path, user=personas.staff_a.username, dry_run=True)
    assert capsys.readouterr().out == "Dry run: 1 to create, 0 to update, 0 rows with errors.\n"
    assert not Enterprise.objects.filter(name_fr="Friperie").exists()
    call_command("import_enterprises", path, user=personas.staff_a.username)
    assert capsys.readouterr().out == "Imported 1 new and 0 updated enterprises.\n"
    assert Enterprise.objects.get(name_fr="Friperie").pole == world.pole_a


def test_command_names_the_bad_row_and_writes_nothing(personas, world, tmp_path, capsys):
    path = write(
        tmp_path / "bad.csv",
        [
            ["Friperie", "nonprofit", "pole-montreal", "06", "alimentation", "", "Montréal"],
            ["Garage", "nonprofit", "pole-laval", "13", "alimentation", "", "Laval"],
        ],
    )
    with pytest.raises(CommandError, match="^1 row has an error; nothing was imported.$"):
        call_command("import_enterprises", path, user=personas.staff_a.username)
    assert capsys.readouterr().err == (
        "line 3: pole: you cannot put an enterprise in “Pôle de Laval”, a pole you do not work for.\n"
    )
    assert Enterprise.objects.count() == 2


def test_command_refuses_unknown_user_and_file(personas, world, tmp_path):
    with pytest.raises(CommandError, match="No active staff user named 'personne'"):
        call_command("import_enterprises", tmp_path / "x.csv", user="personne")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_enterprises", tmp_path / "missing.csv", user=personas.staff_a.username)
