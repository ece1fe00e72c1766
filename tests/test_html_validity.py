"""Every page type, in both languages, is valid HTML for the Nu HTML Checker (`make vnu`)."""

import json
import subprocess
from pathlib import Path

import pytest

from chantier.services import load_reference
from entreprises import opening_hours
from entreprises.demo.services import create_demo_enterprises
from entreprises.models import Enterprise
from tests.helpers import body_of

VNU = (
    Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PAGES = [
    "/fr/", "/en/", "/fr/entreprises/", "/en/enterprises/?q=cooperative",
    "/fr/entreprises/{slug}/", "/en/enterprises/{slug}/", "/fr/poles/", "/en/poles/",
    "/fr/poles/cesim-montreal/", "/en/poles/cesim-montreal/", "/fr/secteurs/", "/en/sectors/habitation/",
    "/fr/evenements/", "/en/events/", "/fr/evenements/fiess-2011/", "/en/events/fiess-2011/",
    "/fr/organisations/", "/en/organizations/", "/fr/organisations/chantier-economie-sociale/",
    "/en/organizations/oit/",
    "/fr/carte/", "/en/map/", "/fr/statistiques/", "/en/statistics/", "/fr/a-propos/", "/en/about/",
    "/fr/accessibilite/", "/en/accessibility/", "/fr/confidentialite/", "/en/privacy/",
    "/fr/donnees-ouvertes/", "/en/open-data/",
    "/embed/map/?pole=cesim-montreal",
]  # fmt: skip


def test_every_page_type_is_valid_html(client, tmp_path):
    if not VNU.exists():
        pytest.fail(f"The Nu HTML Checker is missing at {VNU}: run `make vnu`.")
    load_reference()
    create_demo_enterprises(count=5, seed=7)
    slug = Enterprise.objects.published().order_by("slug").values_list("slug", flat=True)[0]
    # The enterprise page with everything its contact card can show.
    Enterprise.objects.filter(slug=slug).update(
        phone="514 555-0123, 12",
        opening_hours=opening_hours.parse("lun-ven 9:00-12:00, 13:00-17:00; sam 10:00-14:00"),
        opening_hours_note_fr="Fermé les jours fériés.",
        opening_hours_note_en="Closed on public holidays.",
        products_services_fr="Ateliers & formations <en ligne>",
        sells_to=["public", "businesses"],
        step_free_access="yes",
        facebook_url="https://www.facebook.com/exemple",
        other_social_url="https://social.example/@exemple?a=1&b=2",
        image_small="entreprises/exemple-160.webp",
        image_large="entreprises/exemple-480.webp",
        image_alt_fr="Logo « exemple » & cie",
    )
    files = []
    for number, url in enumerate(PAGES):
        response = client.get(url.format(slug=slug))
        assert response.status_code == 200, url
        page = tmp_path / f"page-{number}.html"
        page.write_bytes(body_of(response))
        files.append(str(page))
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(checked.stderr or '{"messages": []}')["messages"]
    errors = [(PAGES[files.index(m["url"].removeprefix("file:"))], m["message"]) for m in messages]
    assert errors == []
