"""The social networks an enterprise links to: one field each, its host checked.

A Facebook address must lead to Facebook, and so on; "other" takes any web address
(a Mastodon account, a TikTok page...). Every surface (form, import, API, page)
reads the list below.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Field name -> (the network's name, the hosts its addresses use).
NETWORKS = {
    "facebook_url": ("Facebook", ("facebook.com", "fb.com")),
    "instagram_url": ("Instagram", ("instagram.com",)),
    "linkedin_url": ("LinkedIn", ("linkedin.com",)),
    "youtube_url": ("YouTube", ("youtube.com", "youtu.be")),
}
OTHER = "other_social_url"
FIELDS = (*NETWORKS, OTHER)


@deconstructible
class NetworkHostValidator:
    """The address's host is the network's (or one of its subdomains, www. included)."""

    def __init__(self, field: str):
        self.field = field

    def __call__(self, value: str) -> None:
        network, hosts = NETWORKS[self.field]
        host = (urlsplit(value).hostname or "").lower()
        if not any(host == h or host.endswith("." + h) for h in hosts):
            raise ValidationError(
                _("This is not a %(network)s address: it should start with https://%(host)s/."),
                code="wrong_network",
                params={"network": network, "host": "www." + hosts[0]},
            )

    def __eq__(self, other):
        return isinstance(other, NetworkHostValidator) and other.field == self.field


def social_links(enterprise) -> list[tuple[str, str]]:
    """The enterprise's links as (the network's name, or "" for another site; address)."""
    return [
        (NETWORKS[field][0] if field in NETWORKS else "", getattr(enterprise, field))
        for field in FIELDS
        if getattr(enterprise, field)
    ]
