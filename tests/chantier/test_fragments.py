"""Template fragments kept per set of values: rendered again whenever a value or the
language changes, never more than FRAGMENTS_KEPT_CHARS characters of them."""

from django.utils import translation

from common import fragments

CARD = "includes/enterprise_card.html"
VALUES = dict(
    slug="arbre", name="Arbre <b>&\"'", name_language="", legal_form="coopérative",
    sector_name="Habitation", city="Rimouski", region_name="", is_demo=False, distance_km=None,
)  # fmt: skip


def test_same_values_are_rendered_once():
    with translation.override("fr"):
        first = fragments.rendered(CARD, **VALUES)
        kept = fragments.kept_count()
        assert fragments.rendered(CARD, **VALUES) is first
    assert fragments.kept_count() == kept
    assert '<a href="/fr/entreprises/arbre/">Arbre &lt;b&gt;&amp;&quot;&#x27;</a>' in first
    assert '<p class="card-meta">Coopérative · Habitation · Rimouski</p>' in first


def test_any_changed_value_or_language_renders_again():
    with translation.override("fr"):
        before = fragments.rendered(CARD, **VALUES)
        renamed = fragments.rendered(CARD, **{**VALUES, "sector_name": "Logement"})
        demo = fragments.rendered(CARD, **{**VALUES, "is_demo": True})
    with translation.override("en"):
        english = fragments.rendered(CARD, **VALUES)
    assert '<p class="card-meta">Coopérative · Logement · Rimouski</p>' in renamed
    assert '<p class="badge-demo">Fiche fictive de démonstration</p>' in demo
    assert "badge-demo" not in before
    assert '<a href="/en/enterprises/arbre/">' in english


def test_at_most_fragments_kept_chars_the_least_recent_forgotten(monkeypatch):
    with translation.override("fr"):
        size = len(fragments.rendered(CARD, **{**VALUES, "city": "0"}))
        monkeypatch.setattr(fragments, "FRAGMENTS_KEPT_CHARS", 3 * size)
        first = fragments.rendered(CARD, **{**VALUES, "city": "1"})
        for n in range(2, 6):
            fragments.rendered(CARD, **{**VALUES, "city": str(n)})
        assert fragments.kept_count() == (3, 3 * size)
        assert fragments.rendered(CARD, **{**VALUES, "city": "1"}) is not first


def test_nothing_is_kept_with_debug_on(settings):
    settings.DEBUG = True
    with translation.override("fr"):
        first = fragments.rendered(CARD, **{**VALUES, "city": "Debug"})
        assert fragments.rendered(CARD, **{**VALUES, "city": "Debug"}) is not first
