import functools
import tomllib

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from chantier.services import REFERENCE_DIR

# The Chantier's own record in organizations.toml.
CHANTIER_SLUG = "chantier-economie-sociale"


def language_alternates(request):
    """The current page in every language, for the language switch and hreflang links:
    worked out only by a page that shows them (resolving and reversing the address in
    each language; the admin's pages do not)."""

    def alternates():
        path = request.get_full_path()
        return [
            {
                "code": code,
                "name": name,
                "url": request.build_absolute_uri(translate_url(path, code)),
            }
            for code, name in settings.LANGUAGES
        ]

    return {"language_alternates": SimpleLazyObject(alternates)}


@functools.cache
def _chantier_row() -> dict:
    rows = tomllib.loads((REFERENCE_DIR / "organizations.toml").read_text())["organization"]
    return next(row for row in rows if row["slug"] == CHANTIER_SLUG)


def site_footer(request):
    """The Chantier's contact, read from the reference data (no query), and the data licence."""
    row = _chantier_row()
    website = row.get("website", "")
    return {
        "chantier_contact": {
            "name": row["name_fr"],
            "website": website,
            "website_label": website.removeprefix("https://").removeprefix("www.").rstrip("/"),
        },
        "data_licence": {"name": settings.DATA_LICENCE_NAME, "url": settings.DATA_LICENCE_URL},
    }


ATOM = "application/atom+xml"


def feed_links(request):
    """The feeds a page offers (`<link rel="alternate">` in every page's head): the
    events' calendar on the events' pages, an organization's on its page, and the Atom
    feed of new enterprises on the directory, a sector's page and a pole's page."""
    match = request.resolver_match
    name = match.view_name if match else ""
    slug = match.kwargs.get("slug") if match else None
    feeds = []
    if name in ("evenements:list", "evenements:detail"):
        feeds.append(
            ("text/calendar", _("Calendar of events (iCal)"), reverse("evenements:calendar"))
        )
    elif name == "evenements:organization":
        url = reverse("evenements:organization-calendar", kwargs={"slug": slug})
        feeds.append(("text/calendar", _("This organization’s events (iCal)"), url))
    elif name == "entreprises:directory":
        feeds.append((ATOM, _("New enterprises (Atom)"), reverse("entreprises:feed")))
    elif name == "entreprises:sector":
        url = reverse("entreprises:sector-feed", kwargs={"slug": slug})
        feeds.append((ATOM, _("New enterprises in this sector (Atom)"), url))
    elif name == "poles:detail":
        url = reverse("entreprises:pole-feed", kwargs={"slug": slug})
        feeds.append((ATOM, _("New enterprises of this pole (Atom)"), url))
    return {"feed_links": [{"type": t, "title": title, "url": url} for t, title, url in feeds]}
