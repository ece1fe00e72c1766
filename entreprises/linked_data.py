"""The schema.org description of an enterprise: one builder for its page and for the API.

The page embeds the node in its language; the API gives it with `?format=jsonld`,
in one language (`?lang=`) or with every language's text. `@id` is the record's
address in the API, the same whatever the language, and `url` its public page.
"""

from urllib.parse import urljoin

from common.api.languages import LANGUAGE_CODES, translated
from entreprises import opening_hours, social_links
from entreprises.models import Enterprise, Sector

ESSGLOBAL_ACTIVITIES = "http://purl.org/essglobal/standard/activities/"
# schema.org's addressRegion is the country's first-level division: the province.
PROVINCE = "QC"
COUNTRY = "CA"


def json_ld_context(lang: str | None) -> dict:
    """An inline context: schema.org terms, plus ESSGlobal's where it has one."""
    context = {
        "@vocab": "http://schema.org/",
        "essglobal": "http://purl.org/essglobal/vocab/",
        "essglobal:economicSector": {"@type": "@id"},
        "url": {"@type": "@id"},
        "sameAs": {"@type": "@id"},
    }
    if lang:
        context["@language"] = lang
    return context


def organization_node(
    enterprise: Enterprise,
    *,
    sectors: list[Sector],
    lang: str | None,
    api_url: str,
    page_url: str,
) -> dict:
    """A schema.org Organization, without its context.

    `sectors` in their order, the primary one first; `lang` None gives every
    language's text as a list of `{"@value", "@language"}`.
    """
    node = {
        "@id": api_url,
        "@type": "Organization",
        "identifier": enterprise.slug,
        "name": _text(enterprise, "name", lang),
        "description": _text(enterprise, "description", lang),
        "url": page_url,
        "sameAs": _one_or_list(
            [
                url
                for url in (
                    enterprise.website,
                    *(getattr(enterprise, f) for f in social_links.FIELDS),
                )
                if url
            ]
        ),
        "taxID": enterprise.neq or None,
        "telephone": enterprise.phone or None,
        "email": enterprise.email or None,
        "foundingDate": str(enterprise.founded_year) if enterprise.founded_year else None,
        "numberOfEmployees": (
            {"@type": "QuantitativeValue", "value": enterprise.employees}
            if enterprise.employees is not None
            else None
        ),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": enterprise.street_address or None,
            "addressLocality": enterprise.city or None,
            "postalCode": enterprise.postal_code or None,
            "addressRegion": PROVINCE,
            "addressCountry": COUNTRY,
        },
        "dateModified": enterprise.updated_at.isoformat(),
        "knowsAbout": [_text(sector, "name", lang) for sector in sectors] or None,
        "essglobal:legalForm": enterprise.legal_form,
        "essglobal:economicSector": [
            ESSGLOBAL_ACTIVITIES + sector.essglobal_code
            for sector in sectors
            if sector.essglobal_code
        ]
        or None,
        "essglobal:mission": _text(enterprise, "mission", lang),
        "openingHoursSpecification": opening_hours.schema_specification(enterprise.opening_hours)
        or None,
    }
    if urls := image_urls(enterprise, base=page_url):
        node["image"] = {
            "@type": "ImageObject",
            "contentUrl": urls["large"],
            "thumbnailUrl": urls["small"],
            "caption": _text(enterprise, "image_alt", lang),
        }
    if enterprise.latitude is not None:
        node["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(enterprise.latitude),
            "longitude": float(enterprise.longitude),
        }
    return _without_empty(node)


def image_urls(enterprise: Enterprise, *, request=None, base: str = "") -> dict | None:
    """The absolute addresses of the logo or photo's copies, or None without one."""
    if not enterprise.image_large:
        return None

    def absolute(url: str) -> str:
        if request is not None:
            return request.build_absolute_uri(url)
        return urljoin(base, url) if base else url

    return {
        "small": absolute(enterprise.image_small.url),
        "large": absolute(enterprise.image_large.url),
    }


def organization_json_ld(enterprise: Enterprise, **node) -> dict:
    """The whole document of one enterprise: the context, then the node."""
    return {"@context": json_ld_context(node["lang"]), **organization_node(enterprise, **node)}


def _one_or_list(values: list):
    """A single value as itself (as JSON-LD writes it), several as a list, none as None."""
    return values[0] if len(values) == 1 else values or None


def _text(obj, field: str, lang: str | None):
    if lang:
        return translated(obj, field, lang) or None
    return [
        {"@value": value, "@language": code}
        for code in LANGUAGE_CODES
        if (value := getattr(obj, f"{field}_{code}"))
    ] or None


def _without_empty(value):
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    return value
