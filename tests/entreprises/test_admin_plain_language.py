"""Every admin page speaks plain French and English: no "objet", no "None", and no English
word on a French page. The pages are those of every model of the admin: index, list, add
form, change form and history of a record, in both languages."""

import contextlib
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import NoReverseMatch, reverse

from tests.entreprises.conftest import enterprise_form_data
from tests.personas import signed_in

# Words an English page has and a French one never should (case-sensitive, whole words).
ENGLISH_WORDS = [
    "the",
    "and",
    "with",
    "by",
    "of",
    "Add",
    "Change",
    "Changes",
    "CHANGES",
    "Delete",
    "Save",
    "Search",
    "History",
    "Home",
    "View",
    "Select",
    "Filter",
    "Show",
    "Yes",
    "draft",
    "published",
    "archived",
    "enterprise",
    "enterprises",
    "sector",
    "sectors",
    "English",
    "missing",
    "slug",
]
EVERYWHERE = ["None"]


# Django names permissions once, in English, in the database ("Can change sector"): the
# lists of permissions of the user and group forms are left out.
PERMISSION_LISTS = {"permissions", "user_permissions"}


class _Text(HTMLParser):
    """The text a person reads: the page's text and its buttons, without scripts, styles,
    what fields hold and the lists of permissions."""

    hidden = {"script", "style", "textarea", "template"}

    def __init__(self):
        super().__init__()
        self.parts, self.depth = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.hidden or (tag == "select" and attrs.get("name") in PERMISSION_LISTS):
            self.depth += 1
        elif tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")
        for name in ("title", "aria-label", "placeholder", "alt"):
            if attrs.get(name):
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in self.hidden or (tag == "select" and self.depth):
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def readable_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def faults(text: str, language: str) -> list[str]:
    found = []
    if language == "fr" and re.search(r"\bobjets?\b", text, re.IGNORECASE):
        found.append("objet")
    words = EVERYWHERE + (ENGLISH_WORDS if language == "fr" else [])
    found += [word for word in words if re.search(rf"(?<![\w-]){word}(?![\w-])", text)]
    return found


def admin_pages(client) -> list[str]:
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(_request_of(client)):
            urls.append(reverse(f"{name}_add"))
        first = model_admin.get_queryset(_request_of(client)).order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{name}_change", args=[first.pk]))
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"{name}_history", args=[first.pk]))
    return urls


def _request_of(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = client.user
    return request


@pytest.fixture
def superuser_client(world, personas):
    user = User.objects.create_superuser("responsable", "responsable@example.org", "x" * 20)
    client = signed_in(user)
    client.user = user
    # A change through the form, so that the history has two versions to show.
    url = reverse("admin:entreprises_enterprise_change", args=[world.enterprise_a.pk])
    data = enterprise_form_data(world.enterprise_a, status="published", city="Verdun")
    assert client.post(url, data).status_code == 302
    return client


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_admin_page_speaks_plain_language(superuser_client, language):
    found = {}
    for url in admin_pages(superuser_client):
        response = superuser_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        problems = faults(readable_text(response.content.decode()), language)
        if problems:
            found[url] = problems
    assert found == {}, "\n".join(f"{url}: {problems}" for url, problems in found.items())


def test_the_checker_sees_what_django_says_by_default():
    page = "<h1>Sélectionnez l’objet entreprise à changer</h1><p>None</p><script>the</script>"
    assert faults(readable_text(page), "fr") == ["objet", "None"]
    assert faults(readable_text("<p>Add the draft</p>"), "fr") == ["the", "Add", "draft"]
