import functools
import tomllib

from django.conf import settings
from django.urls import translate_url

from chantier.services import REFERENCE_DIR

# The Chantier's own record in organizations.toml.
CHANTIER_SLUG = "chantier-economie-sociale"


def language_alternates(request):
    """The current page in every language, for the language switch and hreflang links."""
    path = request.get_full_path()
    return {
        "language_alternates": [
            {
                "code": code,
                "name": name,
                "url": request.build_absolute_uri(translate_url(path, code)),
            }
            for code, name in settings.LANGUAGES
        ]
    }


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
