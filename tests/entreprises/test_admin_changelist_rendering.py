"""The change list writes each row's selection checkbox directly
(common.admin_change_list): the same markup as Django's widget, in both languages, and
the actions still read it."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from entreprises.models import Enterprise

CHANGELIST = reverse("admin:entreprises_enterprise_changelist")
# A name the label must escape, as Django's widget does.
NAME = 'Coop "A" & <B>'
ESCAPED = "Coop &quot;A&quot; &amp; &lt;B&gt;"


def checkboxes(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="_selected_action"[^>]*>', page)


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("fr", "Choisir cette fiche pour une action\xa0: " + ESCAPED),
        ("en", "Select this object for an action - " + ESCAPED),
    ],
)
def test_each_row_has_the_checkbox_django_would_write(personas, world, language, label):
    model_admin = admin.site._registry[Enterprise]
    world.enterprise_a.name_fr, world.enterprise_a.name_en = NAME, ""
    world.enterprise_a.save()
    client = personas.client_for(personas.staff_a)
    page = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    with translation.override(language):
        djangos = admin.ModelAdmin.action_checkbox(model_admin, world.enterprise_a)
        ours = model_admin.action_checkbox(world.enterprise_a)
    assert str(ours) == str(djangos)
    assert f'aria-label="{label}"' in str(ours)
    assert str(ours) in checkboxes(page)
    # One per row the pole's staff see, and the "select all" box above them.
    assert len(checkboxes(page)) == Enterprise.objects.filter(pole=world.pole_a).count()
    assert 'id="action-toggle"' in page
