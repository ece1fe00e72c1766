"""The admin in a real browser, as pole staff, in both languages: the change list and the
form with one language switch at 1280 px, the import and its preview; axe-core finds no
violation on any of them."""

import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection

from entreprises.models import Enterprise, EnterpriseImport
from tests.helpers import run_jobs
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.serial]

LOCALES = {"fr": "fr-CA", "en": "en-CA"}


def log_in(page, portal, user):
    page.goto(portal + "/admin/login/?next=/admin/entreprises/enterprise/")
    assert_accessible(page)
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/entreprises/enterprise/")


def assert_accessible(page):
    results = Axe().run(page)
    violations = {
        v["id"]: [node["target"][-1] for node in v["nodes"]][:4]
        for v in results.response["violations"]
    }
    assert results.violations_count == 0, (page.url, violations)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def whole_table_in_view(page) -> tuple[int, int]:
    """The change list's box and its table's widths: the box scrolls sideways when the
    table is wider, hiding its last columns while the page itself does not scroll."""
    return page.evaluate(
        "() => { const box = document.querySelector('#changelist .results');"
        " return [box.scrollWidth, box.clientWidth]; }"
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_change_list_and_form_with_one_language_switch(
    portal, personas, new_page, screenshots_dir, language
):
    page = new_page(locale=LOCALES[language], width=1280, height=900)
    log_in(page, portal, personas.staff_a)
    rows = page.locator("#result_list tbody tr")
    own = Enterprise.objects.filter(pole=personas.pole_a).count()
    assert own > 0
    assert rows.count() == min(own, 50)
    missing = {"fr": "Anglais manquant", "en": "English missing"}[language]
    assert page.locator("#changelist-filter").inner_text().count(missing) >= 1
    page.screenshot(path=screenshots_dir / f"admin-changelist-{language}.png")
    assert no_sideways_scroll(page)
    table_width, box_width = whole_table_in_view(page)
    assert table_width <= box_width, (table_width, box_width)
    # Names wrap on two lines at most.
    for number in range(rows.count()):
        name = rows.nth(number).locator("th a")
        line_height = name.evaluate("a => parseFloat(getComputedStyle(a).lineHeight)")
        assert name.bounding_box()["height"] <= 2 * line_height + 1
    assert_accessible(page)

    rows.first.locator("th a").click()
    page.wait_for_selector("#enterprise_form")
    switch = page.locator(".language-switch")
    assert page.locator(".language-switch").count() == 1
    assert page.locator(".ui-tabs-nav").count() == 0
    buttons = switch.locator("button")
    labels = {"fr": ["Français", "Anglais"], "en": ["French", "English"]}[language]
    assert buttons.all_inner_texts() == labels
    # One switch shows every translated field in the language chosen.
    assert page.locator("#id_name_fr").is_visible()
    assert not page.locator("#id_name_en").is_visible()
    buttons.nth(1).click()
    assert page.locator("#id_name_en").is_visible()
    assert page.locator("#id_description_en").is_visible()
    assert not page.locator("#id_name_fr").is_visible()
    assert not page.locator("#id_description_fr").is_visible()
    assert buttons.nth(1).get_attribute("aria-pressed") == "true"
    buttons.nth(0).click()
    # Pole staff never see the address field: it is made from the name.
    assert page.locator("#id_slug").count() == 0
    assert no_sideways_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshots_dir / f"admin-changeform-{language}.png", full_page=True)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_import_and_its_preview(portal, personas, new_page, screenshots_dir, tmp_path, language):
    page = new_page(locale=LOCALES[language], width=1280, height=900)
    log_in(page, portal, personas.staff_a)
    first = Enterprise.objects.filter(pole=personas.pole_a).order_by("pk").first()
    export = tmp_path / "import.csv"
    export.write_text(
        "slug;name_fr;legal_form;status;primary_sector\n"
        f"{first.slug};{first.name_fr};OBNL;publiée;Habitation\n"
        ";Nouvelle coop du Quai;coop;brouillon;agroalimentaire\n"
        ";Sans forme;OBNLL;brouillon;\n",
        encoding="utf-8-sig",
    )
    page.goto(portal + "/admin/entreprises/enterprise/import/")
    assert_accessible(page)
    page.set_input_files("#id_file", str(export))
    page.click("input[type=submit].default")
    page.wait_for_selector("#import-rows")
    results = page.locator("#import-rows tbody tr td:nth-child(3)").all_inner_texts()
    expected = {"fr": ["modifiée", "créée", "erreur"], "en": ["changed", "created", "error"]}
    assert results == expected[language]
    assert "→" in page.locator("#import-rows tbody tr").first.inner_text()
    assert no_sideways_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshots_dir / f"admin-import-preview-{language}.png", full_page=True)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_national_teams_wider_change_list_fits_at_1280(
    portal, personas, new_page, screenshots_dir, language
):
    from tests.browser.test_admin_two_factor import (
        password_step,
        set_up_second_factor,
        turn_off_second_factor,
    )

    # The national team's list has two more columns (pole, region) than a pole's.
    page = new_page(locale=LOCALES[language], width=1280, height=900)
    password_step(page, portal, personas.national)
    set_up_second_factor(page)
    try:
        page.goto(f"{portal}/admin/entreprises/enterprise/")
        assert page.locator("#result_list th.column-pole").count() == 1
        page.screenshot(path=screenshots_dir / f"admin-changelist-national-{language}.png")
        assert no_sideways_scroll(page)
        table_width, box_width = whole_table_in_view(page)
        assert table_width <= box_width, (table_width, box_width)
    finally:
        turn_off_second_factor(page, portal, personas.national)


def in_a_thread(work):
    """Run `work` in a thread of its own, with its own database connection, committed at
    once (the portal's server thread sees it), then closed; returns what it returned."""
    done = {}

    def run():
        try:
            done["result"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return done.get("result")


def forget_imports():
    EnterpriseImport.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_events; DELETE FROM procrastinate_jobs")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_confirmed_import_shows_its_result_when_the_worker_is_done(
    portal, personas, new_page, screenshots_dir, tmp_path, language, settings
):
    # The worker's threads close their connections after each job only when they are not
    # kept: else the test database could not be dropped at the end.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    page = new_page(locale=LOCALES[language], width=390, height=844)
    log_in(page, portal, personas.staff_a)
    first = Enterprise.objects.filter(pole=personas.pole_a).order_by("pk").first()
    upload = tmp_path / "fiches.csv"
    # A line that changes nothing: the import writes no record that other tests read.
    upload.write_text(
        f"slug;name_fr;legal_form\n{first.slug};{first.name_fr};{first.get_legal_form_display()}\n",
        encoding="utf-8-sig",
    )
    page.goto(portal + "/admin/entreprises/enterprise/import/")
    page.set_input_files("#id_file", str(upload))
    page.click("input[type=submit].default")
    page.wait_for_selector("#import-rows")
    page.click("input[type=submit].default")  # import every line
    status = page.locator("#import-status")
    waiting = {"fr": "Le fichier attend son tour\u00a0: 1 ligne.", "en": "The file is waiting"}
    try:
        assert waiting[language] in status.inner_text()
        assert_accessible(page)
        assert no_sideways_scroll(page)
        page.screenshot(path=screenshots_dir / f"admin-import-waiting-{language}.png")
        in_a_thread(lambda: run_jobs("imports"))
        # The page reads itself again every few seconds, without being reloaded.
        page.wait_for_selector("#import-status .import-done", timeout=20_000)
        done = {
            "fr": "Importation terminée. Entreprises créées\u00a0: 0, modifiées\u00a0: 0, inchangées\u00a0: 1.",
            "en": "Import done. Enterprises created: 0, changed: 0, unchanged: 1.",
        }
        assert status.inner_text().startswith(done[language])
        assert_accessible(page)
        page.screenshot(path=screenshots_dir / f"admin-import-done-{language}.png")
    finally:
        in_a_thread(forget_imports)
