import json
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from common.validators import tel_uri

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with another page number, every filter kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.simple_tag
def page_window(page_obj, on_each_side=2):
    """The page numbers around the current one, `None` where pages are left out."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=0
        )
    ]


@register.simple_tag
def json_ld(data):
    """A schema.org JSON-LD block; the JSON is escaped so it cannot close the script."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def pole_map_embed(context, pole) -> dict:
    """The embeddable map of a pole's enterprises: its absolute `url`, and the `code`
    (an `<iframe>`) another site pastes, as plain text for a page to show, not run."""
    path = reverse("embed-map") + "?" + urlencode({"pole": pole.slug})
    url = context["request"].build_absolute_uri(path)
    title = gettext("Map of the enterprises of %(pole)s") % {"pole": pole.name}
    code = (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="450" '
        'style="border:0" loading="lazy"></iframe>'
    )
    return {"url": url, "code": code}


@register.filter
def web_address(url: str) -> str:
    """A website as people read it: « chantier.qc.ca » for « https://www.chantier.qc.ca/ »."""
    for prefix in ("https://", "http://", "www."):
        url = url.removeprefix(prefix)
    return url.rstrip("/")


@register.filter
def tel_href(phone: str) -> str:
    """The `tel:` link of a phone number (common/validators.py)."""
    return tel_uri(phone)
