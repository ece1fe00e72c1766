"""schema.org descriptions of enterprises, for pages (and, later, the API)."""

from entreprises.enums import LegalForm
from entreprises.models import Enterprise
from entreprises.selectors import primary_sector

SCHEMA_LEGAL_FORM = {
    LegalForm.COOPERATIVE: "Cooperative",
    LegalForm.NONPROFIT: "NonprofitOrganization",
    LegalForm.MUTUAL: "Mutual",
}


def organization_json_ld(enterprise: Enterprise, *, url: str) -> dict:
    """A schema.org Organization, in the active language."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": url,
        "url": url,
        "name": enterprise.name,
        "description": enterprise.description or None,
        "foundingDate": str(enterprise.founded_year) if enterprise.founded_year else None,
        "numberOfEmployees": (
            {"@type": "QuantitativeValue", "value": enterprise.employees}
            if enterprise.employees is not None
            else None
        ),
        "telephone": enterprise.phone or None,
        "email": enterprise.email or None,
        "sameAs": enterprise.website or None,
        "additionalType": SCHEMA_LEGAL_FORM.get(enterprise.legal_form),
        "taxID": enterprise.neq or None,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": enterprise.street_address or None,
            "addressLocality": enterprise.city or None,
            "addressRegion": enterprise.region.name if enterprise.region else "QC",
            "postalCode": enterprise.postal_code or None,
            "addressCountry": "CA",
        },
    }
    if enterprise.latitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(enterprise.latitude),
            "longitude": float(enterprise.longitude),
        }
    sector = primary_sector(enterprise)
    if sector:
        data["knowsAbout"] = sector.name
    return _without_empty(data)


def _without_empty(value):
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items() if v not in (None, "", [], {})}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    return value
